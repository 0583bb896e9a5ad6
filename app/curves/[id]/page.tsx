// One curve's page: the points of a curve scenario (its versions) drawn as they finish
// (docs/search.md): from its newest curve run (one run, its shards shared by every worker), or, for a
// curve queued as a sweep per version before curves were one run, from those sweeps. Its owner's.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { curvePointsOf, parsePointLabel } from "../curve-points";
import { CurveView } from "../curve-view";
import { CurveRunView } from "../curve-run-view";
import type { CurveRunSummary } from "@/server/worker/shards";

export const metadata: Metadata = { title: "Curve" };

export default async function CurvePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=/curves/${encodeURIComponent(id)}`);
  const scenario = await orNotFound(api.scenario.byId({ id }));
  if (!scenario.isOwner) notFound();
  const [curveRun] = (await api.run.list({ scenarioId: scenario.id, kind: "curve", pageSize: 1 })).items;
  const run = curveRun ? await api.run.byId({ id: curveRun.id }) : null;
  const firstLabel = (run?.summary as CurveRunSummary | null)?.points?.[0]?.label;
  const runAxis = firstLabel ? (parsePointLabel(firstLabel)?.[0]?.path ?? null) : null;
  const sweeps = runAxis ? null : await api.run.list({ scenarioId: scenario.id, kind: "sweep", pageSize: 50 });
  const curve = sweeps ? curvePointsOf(scenario.versions, sweeps.items) : null;
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/curves">Curves</Link> / <Link href={`/scenarios/${scenario.id}`}>{scenario.name}</Link>
          </div>
          <h1>{runAxis ? `Curve over ${runAxis}` : curve ? `Curve over ${curve.axis}` : "Curve"}</h1>
          <p className="sub">{scenario.name}</p>
        </div>
        <div className="row">
          <Link className="button" href={`/curves?scenario=${scenario.id}`}>Another curve…</Link>
        </div>
      </div>
      {run && runAxis ? (
        <CurveRunView runId={run.id} scenarioId={scenario.id} axis={runAxis} />
      ) : curve ? (
        <CurveView scenarioId={scenario.id} axis={curve.axis} points={curve.points} />
      ) : (
        <div className="panel empty" data-testid="curve-none">
          This scenario has no curve: none of its versions is a point with a sweep. <Link href={`/curves?scenario=${scenario.id}`}>Draw one</Link>.
        </div>
      )}
    </>
  );
}
