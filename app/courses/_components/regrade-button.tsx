"use client";
// "Regrade all": queues a new grading run for every submission with the current tests.
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";

export function RegradeButton({ assignmentId }: { assignmentId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const regrade = useMutation(trpc.assignment.regradeAll.mutationOptions());
  const [note, setNote] = useState<string | null>(null);
  return (
    <span className="row">
      <button
        type="button"
        disabled={regrade.isPending}
        onClick={async () => {
          if (!window.confirm("Grade every submission again with the current tests? Earlier results stay in each submission's history.")) return;
          try {
            const res = await regrade.mutateAsync({ assignmentId });
            setNote(`${res.queued} submission${res.queued === 1 ? "" : "s"} queued for grading.`);
            router.refresh();
          } catch (err) {
            setNote(apiError(err).message);
          }
        }}
      >
        Regrade all
      </button>
      {note ? <span className="small muted" role="status">{note}</span> : null}
    </span>
  );
}

/** Reloads the page every few seconds while some grade is still pending. */
export function RefreshWhilePending({ pending }: { pending: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [pending, router]);
  return null;
}
