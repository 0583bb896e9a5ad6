"use client";
// A student's SIS user ID and section, edited in place by course staff; the Canvas and Gradescope exports carry them.
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";

export function RosterFields({ courseId, userId, sisUserId, section }: { courseId: string; userId: string; sisUserId: string; section: string }) {
  const trpc = useTRPC();
  const [sis, setSis] = useState(sisUserId);
  const [sec, setSec] = useState(section);
  const [saved, setSaved] = useState(false);
  const save = useMutation(trpc.course.setRoster.mutationOptions());
  const dirty = sis !== sisUserId || sec !== section;
  return (
    <form
      className="row small"
      style={{ flexWrap: "wrap", gap: "0.25rem" }}
      onSubmit={async (e) => {
        e.preventDefault();
        setSaved(false);
        await save.mutateAsync({ id: courseId, userId, sisUserId: sis, section: sec });
        setSaved(true);
      }}
    >
      <input aria-label="SIS user ID" placeholder="SIS user ID" value={sis} onChange={(e) => { setSis(e.target.value); setSaved(false); }} style={{ width: "8rem" }} />
      <input aria-label="Section" placeholder="Section" value={sec} onChange={(e) => { setSec(e.target.value); setSaved(false); }} style={{ width: "6rem" }} />
      {dirty && !saved ? <button type="submit" className="small" disabled={save.isPending}>Save</button> : null}
      {saved && !save.isPending ? <span className="muted">saved</span> : null}
      {save.error ? <span role="alert" style={{ color: "var(--bad)" }}>{apiError(save.error).message}</span> : null}
    </form>
  );
}
