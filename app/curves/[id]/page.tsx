// One curve's page: the points of a curve scenario (its versions, each with its sweep) drawn as
// they finish (docs/search.md). Its owner's: the sweeps are their runs.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { curvePointsOf } from "../curve-points";
import { CurveView } from "../curve-view";

export const metadata: Metadata = { title: "Curve" };

export default async function CurvePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=/curves/${encodeURIComponent(id)}`);
  const scenario = await orNotFound(api.scenario.byId({ id }));
  if (!scenario.isOwner) notFound();
  const sweeps = await api.run.list({ scenarioId: scenario.id, kind: "sweep", pageSize: 50 });
  const curve = curvePointsOf(scenario.versions, sweeps.items);
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/curves">Curves</Link> / <Link href={`/scenarios/${scenario.id}`}>{scenario.name}</Link>
          </div>
          <h1>{curve ? `Curve over ${curve.axis}` : "Curve"}</h1>
          <p className="sub">{scenario.name}</p>
        </div>
        <div className="row">
          <Link className="button" href={`/curves?scenario=${scenario.id}`}>Another curve…</Link>
        </div>
      </div>
      {curve ? (
        <CurveView scenarioId={scenario.id} axis={curve.axis} points={curve.points} />
      ) : (
        <div className="panel empty" data-testid="curve-none">
          This scenario has no curve: none of its versions is a point with a sweep. <Link href={`/curves?scenario=${scenario.id}`}>Draw one</Link>.
        </div>
      )}
    </>
  );
}
