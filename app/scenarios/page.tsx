// My scenarios: search, filter by fault kind, sort, page.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller } from "@/server/api/server-caller";
import { Pager, pageParam } from "../_components/pager";
import { formatDate } from "../_components/format";
import { VisibilityBadge } from "../_components/badges";
import { FAULT_KINDS } from "../_components/fault-kinds";
import { FaultKindField, NameField, SelectField } from "../_components/filter-fields";

export const metadata: Metadata = { title: "My scenarios" };

type Search = { page?: string; q?: string; fault?: string; sort?: string };

export default async function ScenariosPage({ searchParams }: { searchParams: Promise<Search> }) {
  const params = await searchParams;
  const { api, user } = await serverCaller();
  if (!user) redirect("/signin?callbackUrl=/scenarios");
  const sort = params.sort === "name" || params.sort === "created" ? params.sort : "updated";
  const faultKind = FAULT_KINDS.includes(params.fault ?? "") ? params.fault : undefined;
  const list = await api.scenario.list({ page: pageParam(params.page), pageSize: 20, q: params.q?.slice(0, 120) || undefined, faultKind, sort });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My scenarios</h1>
          <p className="sub">Each save is a new version; runs remember the exact version they ran.</p>
        </div>
        <Link href="/scenarios/new" className="button primary">New scenario</Link>
      </div>
      <form className="inline-fields panel" method="get" style={{ marginBottom: "1rem" }}>
        <NameField defaultValue={params.q} />
        <FaultKindField defaultValue={faultKind} />
        <SelectField name="sort" label="Sort" defaultValue={sort} options={[["updated", "last changed"], ["created", "created"], ["name", "name"]]} />
        <button type="submit">Apply</button>
      </form>
      {list.items.length === 0 && list.total === 0 ? (
        <div className="panel empty">
          {params.q || faultKind ? "No scenario matches." : <>No scenarios yet. <Link href="/scenarios/new">Start from a template</Link>.</>}
        </div>
      ) : list.items.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr><th>Name</th><th>Faults</th><th>Versions</th><th>Visibility</th><th>Changed</th></tr>
            </thead>
            <tbody>
              {list.items.map((s) => (
                <tr key={s.id}>
                  <td><Link href={`/scenarios/${s.id}`}>{s.name}</Link></td>
                  <td>{s.faultKinds.length ? s.faultKinds.map((k) => <span key={k} className="tag">{k}</span>) : <span className="muted">none</span>}</td>
                  <td className="num">v{s.latestVersion}</td>
                  <td><VisibilityBadge visibility={s.visibility} /></td>
                  <td className="nowrap muted">{formatDate(s.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager basePath="/scenarios" params={{ q: params.q, fault: faultKind, sort }} page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}
