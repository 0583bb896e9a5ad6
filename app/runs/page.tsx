// My runs: every run and sweep, newest first, filtered by scenario, state or verdict.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller } from "@/server/api/server-caller";
import { Pager, pageParam } from "../_components/pager";
import { formatDate, formatCount } from "../_components/format";
import { StatusBadge } from "../_components/badges";

export const metadata: Metadata = { title: "My runs" };

type Search = { page?: string; scenario?: string; status?: string; verdict?: string };
const STATUSES = ["queued", "running", "done", "failed"] as const;

export default async function RunsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const params = await searchParams;
  const { api, user } = await serverCaller();
  if (!user) redirect("/signin?callbackUrl=/runs");
  const status = STATUSES.find((s) => s === params.status);
  const verdict = params.verdict === "pass" || params.verdict === "fail" ? params.verdict : undefined;
  const scenarioId = params.scenario && params.scenario.length <= 64 ? params.scenario : undefined;
  const list = await api.run.list({ page: pageParam(params.page), pageSize: 25, status, verdict, scenarioId });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My runs</h1>
          <p className="sub">Runs update live while they are queued or running. Pick two to compare them.</p>
        </div>
      </div>
      <form className="inline-fields panel" method="get" style={{ marginBottom: "1rem" }}>
        {scenarioId ? <input type="hidden" name="scenario" value={scenarioId} /> : null}
        <div className="field">
          <label htmlFor="status">State</label>
          <select id="status" name="status" defaultValue={status ?? ""}>
            <option value="">any</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="verdict">Verdict</label>
          <select id="verdict" name="verdict" defaultValue={verdict ?? ""}>
            <option value="">any</option>
            <option value="pass">all checks hold</option>
            <option value="fail">a check failed</option>
          </select>
        </div>
        <button type="submit">Apply</button>
        {scenarioId ? <Link href="/runs" className="small">Show runs of every scenario</Link> : null}
      </form>
      {list.items.length === 0 ? (
        <div className="panel empty">No runs{status || verdict ? " match" : " yet. Open a scenario and press Run"}.</div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="runs-table">
            <thead>
              <tr><th>Run</th><th>Scenario</th><th>Seed</th><th className="num">Events</th><th>Result</th><th>Started</th></tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.id}>
                  <td><Link href={`/runs/${r.id}`}>{r.kind === "sweep" ? `Sweep of ${r.seedCount} seeds` : "Run"}</Link></td>
                  <td><Link href={`/scenarios/${r.scenario.id}?v=${r.version.number}`}>{r.scenario.name}</Link> <span className="muted small">v{r.version.number}</span></td>
                  <td className="mono">{r.kind === "sweep" ? `${r.seed}…${r.seed + r.seedCount - 1}` : r.seed}</td>
                  <td className="num">{formatCount(r.eventCount)}</td>
                  <td><StatusBadge status={r.status} verdict={r.verdict} /></td>
                  <td className="nowrap muted">{formatDate(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager basePath="/runs" params={{ scenario: scenarioId, status, verdict }} page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}
