// A scenario: its document (text and form editors), versions, sharing, and runs.
import type { Metadata } from "next";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { ScenarioWorkbench } from "./workbench";
import { excerpt } from "@/app/_components/format";

type Params = { id: string };
type Search = { v?: string; key?: string };

export async function generateMetadata({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }): Promise<Metadata> {
  const { id } = await params;
  const { key } = await searchParams;
  const { api } = await serverCaller();
  const s = await api.scenario.byId({ id, token: key }).catch(() => null);
  if (!s) return { title: "Scenario not found" };
  const description = excerpt(s.description, 200) || `A failure scenario with ${s.faultKinds.join(", ") || "no faults"}.`;
  return { title: s.name, description, openGraph: { title: `${s.name} · Faultline scenario`, description } };
}

export default async function ScenarioPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { id } = await params;
  const { v, key } = await searchParams;
  const version = v && /^\d+$/.test(v) ? Number(v) : undefined;
  const { api, user } = await serverCaller();
  const scenario = await orNotFound(api.scenario.byId({ id, token: key, version }));
  return <ScenarioWorkbench scenario={JSON.parse(JSON.stringify(scenario))} signedIn={Boolean(user)} token={key ?? null} />;
}
