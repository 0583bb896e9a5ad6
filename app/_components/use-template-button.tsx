"use client";
// Creates a scenario from a template in the signed-in user's account and opens it.
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "./trpc";
import { apiError } from "./field-errors";

export function UseTemplateButton({ templateId, signedIn, label = "Use this template" }: { templateId: string; signedIn: boolean; label?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.scenario.create.mutationOptions());
  if (!signedIn) {
    return (
      <a className="button small" href={`/signin?callbackUrl=${encodeURIComponent("/templates")}`}>
        Sign in to use
      </a>
    );
  }
  return (
    <span className="row">
      <button
        type="button"
        className="small primary"
        disabled={create.isPending}
        onClick={async () => {
          const created = await create.mutateAsync({ templateId });
          router.push(`/scenarios/${created.id}`);
        }}
      >
        {create.isPending ? "Creating…" : label}
      </button>
      {create.error ? <span className="small" style={{ color: "var(--bad)" }}>{apiError(create.error).message}</span> : null}
    </span>
  );
}
