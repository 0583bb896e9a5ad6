"use client";
// Joins the course of a join link and opens it.
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";

export function JoinButton({ code }: { code: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const join = useMutation(trpc.course.join.mutationOptions());
  return (
    <>
      <button
        type="button"
        className="primary"
        disabled={join.isPending}
        onClick={async () => {
          const res = await join.mutateAsync({ code });
          router.push(`/courses/${res.courseId}`);
        }}
      >
        {join.isPending ? "Joining…" : "Join"}
      </button>
      {join.error ? <div className="alert error" role="alert">{apiError(join.error).message}</div> : null}
    </>
  );
}
