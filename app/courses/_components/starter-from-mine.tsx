"use client";
// "Start from one of my scenarios": puts the latest version of a scenario of mine into the
// assignment's starter editor.
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";

/** Scenarios offered (the most recently changed of mine). */
const CHOICES_MAX = 50;

export function StarterFromMine({ onPick }: { onPick: (source: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.scenario.list.queryOptions({ pageSize: CHOICES_MAX, sort: "updated" }));
  const [id, setId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!mine.data?.items.length) return null;
  return (
    <div className="row small" style={{ marginBottom: "0.5rem", flexWrap: "wrap" }}>
      <label htmlFor="starter-from">Start from one of my scenarios</label>
      <select id="starter-from" value={id} onChange={(e) => setId(e.target.value)}>
        <option value="">Choose…</option>
        {mine.data.items.map((s) => <option key={s.id} value={s.id}>{s.name} (v{s.latestVersion})</option>)}
      </select>
      <button
        type="button"
        className="small"
        disabled={!id || busy}
        onClick={async () => {
          setError(null);
          setBusy(true);
          try {
            const s = await queryClient.fetchQuery(trpc.scenario.byId.queryOptions({ id }));
            onPick(s.version.source);
          } catch (err) {
            setError(apiError(err).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        Use as starter
      </button>
      {error ? <span role="alert" style={{ color: "var(--bad)" }}>{error}</span> : null}
    </div>
  );
}
