// Curves: one of your scenarios swept over a parameter range, a normal sweep run per point, drawn as
// pass rate (with its 95% interval) and latency against the parameter (docs/search.md).
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { serverCaller } from "@/server/api/server-caller";
import { CurveRunner } from "./curve-runner";

export const metadata: Metadata = { title: "Curves" };

export default async function CurvesPage({ searchParams }: { searchParams: Promise<{ scenario?: string }> }) {
  const params = await searchParams;
  const { api, user } = await serverCaller();
  if (!user) redirect("/signin?callbackUrl=/curves");
  const list = await api.scenario.list({ page: 1, pageSize: 50, sort: "updated" });
  const scenarios = list.items.map((s) => ({ id: s.id, name: s.name }));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Curves</h1>
          <p className="sub">
            How does a check&apos;s pass rate change as a parameter grows? Each value becomes a version of a new scenario, and a normal
            sweep of the same seeds runs for each.
          </p>
        </div>
      </div>
      {scenarios.length === 0 ? (
        <div className="panel empty">No scenarios yet: make one first, then come back to draw its curve.</div>
      ) : (
        <CurveRunner scenarios={scenarios} initialScenarioId={scenarios.some((s) => s.id === params.scenario) ? params.scenario! : scenarios[0]!.id} />
      )}
    </>
  );
}
