// My runs: every run and sweep, newest first, filtered by scenario, state or verdict;
// tick two finished runs to compare them.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller } from "@/server/api/server-caller";
import { Pager, pageParam } from "../_components/pager";
import { RunsTable } from "./runs-table";
import { FAULT_KINDS } from "../_components/fault-kinds";
import { DateSortField, FaultKindField, NameField, SelectField, VerdictField } from "../_components/filter-fields";

export const metadata: Metadata = { title: "My runs" };

type Search = { page?: string; scenario?: string; status?: string; verdict?: string; q?: string; fault?: string; sort?: string };
const STATUSES = ["queued", "running", "done", "failed", "cancelled"] as const;

export default async function RunsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const params = await searchParams;
  const { api, user } = await serverCaller();
  if (!user) redirect("/signin?callbackUrl=/runs");
  const status = STATUSES.find((s) => s === params.status);
  const verdict = params.verdict === "pass" || params.verdict === "fail" ? params.verdict : undefined;
  const scenarioId = params.scenario && params.scenario.length <= 64 ? params.scenario : undefined;
  const q = params.q?.slice(0, 120) || undefined;
  const faultKind = FAULT_KINDS.includes(params.fault ?? "") ? params.fault : undefined;
  const sort = params.sort === "oldest" ? "oldest" : "newest";
  const list = await api.run.list({ page: pageParam(params.page), pageSize: 25, status, verdict, scenarioId, q, faultKind, sort });
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
        <NameField label="Scenario name" defaultValue={q} />
        <FaultKindField defaultValue={faultKind} />
        <SelectField name="status" label="State" defaultValue={status} options={[["", "any"], ...STATUSES.map((s): [string, string] => [s, s])]} />
        <VerdictField defaultValue={verdict} />
        <DateSortField defaultValue={sort} />
        <button type="submit">Apply</button>
        {scenarioId ? <Link href="/runs" className="small">Show runs of every scenario</Link> : null}
      </form>
      {list.items.length === 0 && list.total === 0 ? (
        <div className="panel empty">No runs{status || verdict ? " match" : " yet. Open a scenario and press Run"}.</div>
      ) : list.items.length === 0 ? null : (
        <RunsTable
          items={list.items.map((r) => ({
            id: r.id, kind: r.kind, seed: r.seed, seedCount: r.seedCount, status: r.status, verdict: r.verdict, eventCount: r.eventCount,
            createdAt: r.createdAt.toISOString(), scenario: { id: r.scenario.id, name: r.scenario.name }, version: { number: r.version.number },
          }))}
        />
      )}
      <Pager basePath="/runs" params={{ scenario: scenarioId, status, verdict, q, fault: faultKind, sort: sort === "oldest" ? sort : undefined }} page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}
