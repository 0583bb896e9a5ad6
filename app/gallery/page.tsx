// The public gallery: scenarios and runs their owners made public. Search by name,
// filter by protocol, fault kind and verdict, sort by date, page through.
import type { Metadata } from "next";
import Link from "next/link";
import { serverCaller } from "@/server/api/server-caller";
import { Pager, pageParam } from "../_components/pager";
import { excerpt, formatDate, formatCount } from "../_components/format";
import { StatusBadge } from "../_components/badges";
import { FAULT_KINDS } from "../_components/fault-kinds";
import { DateSortField, FaultKindField, NameField, SelectField, VerdictField } from "../_components/filter-fields";

export const metadata: Metadata = { title: "Gallery", description: "Public failure scenarios and runs shared by Faultline users." };

type Search = { page?: string; q?: string; fault?: string; verdict?: string; sort?: string; show?: string; protocol?: string };

export default async function GalleryPage({ searchParams }: { searchParams: Promise<Search> }) {
  const params = await searchParams;
  const { api } = await serverCaller();
  const show = params.show === "runs" ? "runs" : "scenarios";
  const q = params.q?.slice(0, 120) || undefined;
  const faultKind = FAULT_KINDS.includes(params.fault ?? "") ? params.fault : undefined;
  const protocol = params.protocol === "request-response" ? params.protocol : undefined;
  const verdict = params.verdict === "pass" || params.verdict === "fail" ? params.verdict : undefined;
  const oldest = params.sort === "oldest";
  const page = pageParam(params.page);
  const keep = { show, q, fault: faultKind, protocol, verdict, sort: oldest ? "oldest" : undefined };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Gallery</h1>
          <p className="sub">Scenarios and runs people chose to make public. Open one to read it; fork a scenario to change it.</p>
        </div>
      </div>
      <div className="tabs" role="tablist">
        <Link role="tab" aria-selected={show === "scenarios"} className="button small" href={`/gallery?show=scenarios${q ? `&q=${encodeURIComponent(q)}` : ""}`}>Scenarios</Link>
        <Link role="tab" aria-selected={show === "runs"} className="button small" href={`/gallery?show=runs${q ? `&q=${encodeURIComponent(q)}` : ""}`}>Runs</Link>
      </div>
      <form className="inline-fields panel" method="get" style={{ marginBottom: "1rem" }}>
        <input type="hidden" name="show" value={show} />
        <NameField defaultValue={q} />
        <SelectField name="protocol" label="Protocol" defaultValue={protocol} options={[["", "any"], ["request-response", "request-response"]]} />
        <FaultKindField defaultValue={faultKind} />
        {show === "runs" ? <VerdictField defaultValue={verdict} /> : null}
        <DateSortField defaultValue={oldest ? "oldest" : "newest"} />
        <button type="submit">Apply</button>
      </form>
      {show === "scenarios" ? <ScenarioGallery api={api} page={page} q={q} faultKind={faultKind} protocol={protocol} oldest={oldest} keep={keep} /> : <RunGallery api={api} page={page} q={q} faultKind={faultKind} protocol={protocol} verdict={verdict} oldest={oldest} keep={keep} />}
    </>
  );
}

type Api = Awaited<ReturnType<typeof serverCaller>>["api"];
type Common = { api: Api; page: number; q?: string; faultKind?: string; protocol?: string; oldest: boolean; keep: Record<string, string | undefined> };

async function ScenarioGallery({ api, page, q, faultKind, protocol, oldest, keep }: Common) {
  const list = await api.scenario.gallery({ page, pageSize: 24, q, faultKind, protocol, sort: oldest ? "oldest" : "created" });
  return (
    <>
      {list.total === 0 ? <div className="panel empty">No public scenario matches.</div> : null}
      <div className="grid cols-3" data-testid="gallery-scenarios">
        {list.items.map((s) => (
          <Link key={s.id} href={`/scenarios/${s.id}`} className="card" style={{ color: "inherit" }}>
            <h3>{s.name}</h3>
            <p className="muted small">{excerpt(s.description)}</p>
            <div>{s.faultKinds.map((k) => <span key={k} className="tag">{k}</span>)}</div>
            <div className="muted small">by {s.owner.name} · {formatDate(s.updatedAt)}</div>
          </Link>
        ))}
      </div>
      <Pager basePath="/gallery" params={keep} page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}

async function RunGallery({ api, page, q, faultKind, protocol, verdict, oldest, keep }: Common & { verdict?: "pass" | "fail" }) {
  const list = await api.run.gallery({ page, pageSize: 25, q, faultKind, protocol, verdict, sort: oldest ? "oldest" : "newest" });
  return (
    <>
      {list.items.length === 0 ? (
        list.total === 0 ? <div className="panel empty">No public run matches.</div> : null
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="gallery-runs">
            <thead>
              <tr><th>Scenario</th><th>Run</th><th>Faults</th><th className="num">Events</th><th>Verdict</th><th>By</th><th>When</th></tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.id}>
                  <td>{r.scenario.name}</td>
                  <td><Link href={`/runs/${r.id}`}>{r.kind === "sweep" ? `sweep ×${r.seedCount}` : `seed ${r.seed}`}</Link></td>
                  <td>{r.scenario.faultKinds.map((k) => <span key={k} className="tag">{k}</span>)}</td>
                  <td className="num">{formatCount(r.eventCount)}</td>
                  <td><StatusBadge status={r.status} verdict={r.verdict} /></td>
                  <td>{r.owner.name}</td>
                  <td className="nowrap muted">{formatDate(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager basePath="/gallery" params={keep} page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}
