// Compare two runs: /compare?a=<runId>&b=<runId> (with ka / kb for unlisted runs' keys). Each
// run is loaded through run.byId with its own key, so a run the viewer may not read is "not found" (404).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { serverCaller } from "@/server/api/server-caller";
import { CompareView } from "./compare-view";
import { RunPicker } from "./run-picker";
import type { RunData } from "@/app/runs/[id]/run-view";

export const metadata: Metadata = { title: "Compare runs" };

type Search = { a?: string; b?: string; ka?: string; kb?: string };

export default async function ComparePage({ searchParams }: { searchParams: Promise<Search> }) {
  const p = await searchParams;
  const { api, user } = await serverCaller();
  const load = async (id?: string, key?: string) => {
    if (!id) return { asked: false, run: null };
    const run = await api.run.byId({ id: id.slice(0, 64), token: key?.slice(0, 64) || undefined }).catch(() => null);
    // What the browser receives is the JSON form (dates as strings), as on the run page.
    return { asked: true, run: run ? (JSON.parse(JSON.stringify(run)) as RunData) : null };
  };
  const [a, b] = await Promise.all([load(p.a, p.ka), load(p.b, p.kb)]);

  // A run that is not there (a wrong id, private, revoked) answers 404 like the run page does.
  if ((a.asked && !a.run) || (b.asked && !b.run)) notFound();

  const problems: string[] = [];
  for (const [name, side] of [["A", a], ["B", b]] as const) {
    if (side.run && (side.run.kind !== "single" || side.run.status !== "done")) {
      problems.push(`Run ${name} cannot be compared: ${side.run.kind === "sweep" ? "it is a sweep (open one of its seeds)" : `it is ${side.run.status}`}.`);
    }
  }

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Compare runs</h1>
          <p className="sub">Two runs side by side: metrics, verdicts, the scenario diff, and the first event where they part ways.</p>
        </div>
      </div>
      {problems.map((m) => (
        <div key={m} className="alert error" role="alert" data-testid="compare-problem">{m}</div>
      ))}
      {!a.asked ? (
        <div className="panel">
          <p>Pick two runs: tick two finished runs in <Link href="/runs">My runs</Link> and press Compare, or press Compare… on a run&apos;s page.</p>
          {!user ? <p className="muted small"><Link href="/signin?callbackUrl=/runs">Sign in</Link> to list your runs.</p> : null}
        </div>
      ) : null}
      {a.run && !b.asked && problems.length === 0 ? (
        user ? (
          <RunPicker runId={a.run.id} scenarioId={a.run.scenario.id} scenarioName={a.run.scenario.name} keyA={p.ka ?? null} />
        ) : (
          <div className="panel"><Link href="/signin">Sign in</Link> to pick one of your runs to compare with.</div>
        )
      ) : null}
      {a.run && b.run && problems.length === 0 ? <CompareView a={a.run} b={b.run} ka={p.ka ?? null} kb={p.kb ?? null} /> : null}
    </>
  );
}
