// A run's page: its live state while queued or running, then its results. Anyone with
// access (owner, public, or the unlisted link's key) can open it, signed in or not.
import { cache } from "react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { publicOrigin } from "@/server/http/public-origin";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { settleRun } from "@/server/worker/settle";
import { RunView } from "./run-view";

/** The run and the viewer, read once per request for both the metadata and the page. */
const load = cache(async (id: string, key: string | undefined) => {
  const { api, user } = await serverCaller();
  // A small run queued moments ago usually ends within them: wait, to render its result at once.
  const run = settleRun(db, env.DATABASE_URL, id.slice(0, 64))
    .catch(() => false)
    .then(() => api.run.byId({ id, token: key }));
  return { run, user };
});

type Params = { id: string };
type Search = { key?: string; step?: string };

export async function generateMetadata({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }): Promise<Metadata> {
  const { id } = await params;
  const { key } = await searchParams;
  const run = await (await load(id, key)).run.catch(() => null);
  if (!run) return { title: "Run not found" };
  const title = `${run.scenario.name}, ${run.kind === "sweep" ? `sweep of ${run.seedCount} seeds` : run.kind === "curve" ? `curve of ${run.seedCount} seeds` : `seed ${run.seed}`}`;
  const description = run.kind === "explore" ? exploreLine(run.status, run.summary) : run.kind === "curve" ? curveLine(run.status, run.verdict, run.summary) : verdictLine(run.status, run.verdict, run.summary);
  // A shared run (public, or unlisted and opened with its key) announces its player to oEmbed consumers.
  const shared = run.kind !== "grade" && (run.visibility === "public" || (run.visibility === "unlisted" && Boolean(key)));
  const origin = shared ? publicOrigin(await headers()) : "";
  const pageUrl = `${origin}/runs/${run.id}${run.visibility === "unlisted" && key ? `?key=${encodeURIComponent(key)}` : ""}`;
  return {
    title,
    description,
    ...(shared ? { alternates: { types: { "application/json+oembed": `${origin}/api/oembed?url=${encodeURIComponent(pageUrl)}&format=json` } } } : {}),
    openGraph: { title: `${title} · Faultline`, description, type: "article", siteName: "Faultline" },
    twitter: { card: "summary", title, description },
  };
}

/** An exploration's one line: what it found within its bounds (docs/search.md). */
function exploreLine(status: string, summary: unknown): string {
  const s = summary as { explored?: number; shortest?: { describe: string[] } | null } | null;
  if (status !== "done" || s?.explored === undefined) return `This exploration is ${status}.`;
  return s.shortest ? `${s.explored} schedules explored; the shortest that fails a check: ${s.shortest.describe.join("; ") || "the scenario as written"}.` : `${s.explored} schedules explored; none fails a check.`;
}

/** A curve run's one line: its points, and whether every check held at each. */
function curveLine(status: string, verdict: string | null, summary: unknown): string {
  const points = (summary as { points?: unknown[] } | null)?.points?.length ?? 0;
  if (status !== "done") return `A curve of ${points} points; it is ${status}.`;
  return `A curve of ${points} points: ${verdict === "pass" ? "every check held at every point" : "a check failed at some point"}.`;
}

function verdictLine(status: string, verdict: string | null, summary: unknown): string {
  if (status !== "done") return status === "failed" ? "This run failed." : status === "cancelled" ? "This run was cancelled." : `This run is ${status}.`;
  const checks = (summary as { checks?: { name: string; ok?: boolean; held?: number; failed?: number }[] } | null)?.checks ?? [];
  const held = checks.filter((c) => c.ok === true || (c.failed === 0 && c.held !== undefined)).length;
  return `${verdict === "pass" ? "All checks hold" : "A check failed"}: ${held} of ${checks.length} checks hold (${checks.map((c) => `${c.name} ${c.ok === false || (c.failed ?? 0) > 0 ? "✗" : "✓"}`).join(", ")}).`;
}

export default async function RunPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { id } = await params;
  const { key, step } = await searchParams;
  const loaded = await load(id, key);
  const run = await orNotFound(loaded.run);
  const user = loaded.user;
  return <RunView initial={JSON.parse(JSON.stringify(run))} token={key ?? null} signedIn={Boolean(user)} initialStep={stepParam(step)} />;
}

/** The ?step=N of a permalink: a whole event index, or null (the page then selects nothing). */
function stepParam(value: string | undefined): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  return Number(value);
}
