// The embeddable player of a shared run (/embed/runs/<id>[?key=…]): its story, diagram and step
// controls, compact, for an iframe in slides and LMS pages. It shows only what a stranger holding
// the link may see (a public run, or an unlisted one with its key), even to its signed-in owner,
// so a private run is "not found" here. proxy.ts lets any site frame this route, and only this one.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { readableRun, runView } from "@/server/api/routers/run";
import { runTitle } from "@/app/_components/story/embed";
import { EmbedPlayer } from "./embed-player";

type Params = { id: string };
type Search = { key?: string; step?: string };

async function load(id: string, key: string | undefined) {
  try {
    const { run, access } = await readableRun(db, id.slice(0, 64), null, key?.slice(0, 64));
    if (run.kind === "grade") return null;
    return runView(run, access);
  } catch (err) {
    if (err instanceof TRPCError && err.code === "NOT_FOUND") return null;
    throw err;
  }
}

export async function generateMetadata({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }): Promise<Metadata> {
  const run = await load((await params).id, (await searchParams).key);
  return { title: run ? runTitle(run) : "Run not found", robots: { index: false } };
}

export default async function EmbedRunPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { id } = await params;
  const { key, step } = await searchParams;
  const run = await load(id, key);
  if (!run) notFound();
  const initialStep = step && /^\d{1,9}$/.test(step) ? Number(step) : null;
  return <EmbedPlayer run={JSON.parse(JSON.stringify(run))} token={run.visibility === "unlisted" ? (key ?? null) : null} initialStep={initialStep} />;
}
