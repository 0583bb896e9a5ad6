"use client";
// Explore on the scenario page (its owner): every schedule of up to K added faults among the first N
// messages, within the service's bounds, queued as a run of kind "explore" (docs/search.md). Programs
// are refused here, before anything is queued, as the API refuses them.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { EXPLORE_SERVICE_DEPTH_MAX, EXPLORE_SERVICE_FAULTS_MAX, EXPLORE_SERVICE_SCHEDULES_DEFAULT, EXPLORE_SERVICE_SCHEDULES_MAX } from "@/server/scenarios/explore-limits";
import { CHOICE_KINDS, type ChoiceKind } from "@/server/sim/search/explore";

export function ExploreControl({ scenarioId, version, isProgram }: { scenarioId: string; version: number; isProgram: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const explore = useMutation(trpc.run.explore.mutationOptions());
  const [faults, setFaults] = useState("2");
  const [depth, setDepth] = useState("6");
  const [budget, setBudget] = useState(String(EXPLORE_SERVICE_SCHEDULES_DEFAULT));
  const [kinds, setKinds] = useState<ChoiceKind[]>(["drop", "duplicate"]);
  const [error, setError] = useState<string | null>(null);

  async function onExplore() {
    setError(null);
    const k = Number(faults);
    const n = Number(depth);
    const m = Number(budget);
    if (!Number.isInteger(k) || k < 1 || k > EXPLORE_SERVICE_FAULTS_MAX) return setError(`Faults: a whole number from 1 to ${EXPLORE_SERVICE_FAULTS_MAX}.`);
    if (!Number.isInteger(n) || n < 1 || n > EXPLORE_SERVICE_DEPTH_MAX) return setError(`Depth: a whole number from 1 to ${EXPLORE_SERVICE_DEPTH_MAX}.`);
    if (!Number.isInteger(m) || m < 1 || m > EXPLORE_SERVICE_SCHEDULES_MAX) return setError(`Schedule budget: a whole number from 1 to ${EXPLORE_SERVICE_SCHEDULES_MAX}.`);
    if (kinds.length === 0) return setError("Kinds: pick at least one of drop, duplicate, crash.");
    try {
      const job = await explore.mutateAsync({ scenarioId, version, bounds: { faults: k, depth: n, kinds, maxSchedules: m } });
      router.push(`/runs/${job.id}`);
    } catch (err) {
      setError(apiError(err).message);
    }
  }

  return (
    <details className="panel" data-testid="explore-panel">
      <summary>
        <strong>Explore…</strong> <span className="muted small">every fault schedule within bounds</span>
      </summary>
      {isProgram ? (
        <p className="alert warn small" data-testid="explore-refused">
          Exploration runs request-response and the built-in protocols; a program (protocol.kind custom) cannot be explored yet. A sweep under a
          random nemesis searches a program&apos;s schedules instead.
        </p>
      ) : (
        <form
          className="stack"
          // Our own messages name the field and its bounds; the browser's would stop the submit silently on some.
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void onExplore();
          }}
        >
          <p className="small muted">
            Runs version {version} once for every way of adding up to K faults at the first N messages, shortest first, and saves the shortest
            schedule that fails a check as a new version, with a run of it.
          </p>
          <div className="row">
            <div className="field">
              <label htmlFor="explore-faults">Faults K <span className="hint">(1–{EXPLORE_SERVICE_FAULTS_MAX})</span></label>
              <input id="explore-faults" type="number" min={1} max={EXPLORE_SERVICE_FAULTS_MAX} value={faults} onChange={(e) => setFaults(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="explore-depth">Depth N <span className="hint">(messages, 1–{EXPLORE_SERVICE_DEPTH_MAX})</span></label>
              <input id="explore-depth" type="number" min={1} max={EXPLORE_SERVICE_DEPTH_MAX} value={depth} onChange={(e) => setDepth(e.target.value)} />
            </div>
          </div>
          <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="small">Kinds</legend>
            {CHOICE_KINDS.map((kind) => (
              <label key={kind} className="small">
                <input
                  type="checkbox"
                  checked={kinds.includes(kind)}
                  onChange={(e) => setKinds((ks) => (e.target.checked ? CHOICE_KINDS.filter((k) => k === kind || ks.includes(k)) : ks.filter((k) => k !== kind)))}
                />{" "}
                {kind}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="explore-budget">Schedule budget <span className="hint">(at most {EXPLORE_SERVICE_SCHEDULES_MAX.toLocaleString("en-US")})</span></label>
            <input id="explore-budget" type="number" min={1} max={EXPLORE_SERVICE_SCHEDULES_MAX} value={budget} onChange={(e) => setBudget(e.target.value)} />
          </div>
          <div className="row">
            <button type="submit" disabled={explore.isPending}>{explore.isPending ? "Queueing…" : "Explore"}</button>
          </div>
          {error ? <div className="alert error" role="alert" data-testid="explore-error">{error}</div> : null}
        </form>
      )}
    </details>
  );
}
