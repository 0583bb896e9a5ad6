// A run's live state as Server-Sent Events, for its page: status, progress and place in the
// queue, sent each time they change until the run ends; the last event also carries the run as
// run.byId shows it to this caller, so the page shows the result without asking again, and the
// stream closes. Changes are heard from the database's change feed (server/worker/signals.ts:
// LISTEN/NOTIFY on PostgreSQL, a file watch on SQLite), with a slow re-read in case a hint is lost.
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { serverCaller } from "@/server/api/server-caller";
import { runLiveState } from "@/server/worker/queue";
import { changeFeed } from "@/server/worker/signals";
import { notFoundResponse } from "@/app/api/_lib/downloads";

export const dynamic = "force-dynamic";

/** Re-read this often even without a hint (a lost notification, a position that moved). */
const RECHECK_MS = 2000;
/** A comment line this often, so proxies keep an idle stream open. */
const KEEPALIVE_MS = 15_000;
/** Reads at most this often: hints come in bursts (every progress write of every run). */
const READ_INTERVAL_MIN_MS = 50;

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  // The caller's access is checked as run.byId checks it; the same caller reads the result at the end.
  const { api } = await serverCaller();
  const input = { id: (await params).id.slice(0, 64), token: new URL(req.url).searchParams.get("key")?.slice(0, 64) || undefined };
  const run = await api.run.byId(input).catch((err: unknown) => {
    if (err instanceof TRPCError && ["NOT_FOUND", "BAD_REQUEST", "UNAUTHORIZED"].includes(err.code)) return null;
    throw err;
  });
  if (!run) return notFoundResponse("Run");
  const encoder = new TextEncoder();
  const headers = {
    "content-type": "text/event-stream; charset=utf-8",
    // no-transform: Next's compression would otherwise hold events back.
    "cache-control": "no-cache, no-transform",
    "x-accel-buffering": "no",
  };
  // Already over (it often is, for a small run, by the time its page connects): one event.
  if (run.status === "done" || run.status === "failed" || run.status === "cancelled") {
    const state = { id: run.id, status: run.status, progress: run.progress, attempt: run.attempt, error: run.error, verdict: run.verdict, queuePosition: null };
    return new Response(`data: ${JSON.stringify({ ...state, run })}\n\n`, { headers });
  }
  let stop = () => undefined as void;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let last = "";
      let queued = run.status === "queued";
      let reading: Promise<void> | null = null;
      let again = false;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      let lastRead = 0;
      const read = async () => {
        do {
          again = false;
          // At most one read per READ_INTERVAL_MIN_MS, without waiting after a quiet spell.
          const wait = lastRead + READ_INTERVAL_MIN_MS - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          lastRead = Date.now();
          const state = await runLiveState(db, run.id);
          if (!state) return close();
          queued = state.status === "queued";
          if (state.status === "done" || state.status === "failed" || state.status === "cancelled") {
            send(`data: ${JSON.stringify({ ...state, run: await api.run.byId(input) })}\n\n`);
            return close();
          }
          const json = JSON.stringify(state);
          if (json !== last) {
            last = json;
            send(`data: ${json}\n\n`);
          }
        } while (again && !closed);
      };
      const hint = () => {
        if (closed) return;
        if (reading) {
          again = true;
          return;
        }
        reading = read()
          .catch((err) => {
            console.error(`[run events] ${run.id}:`, err);
            close();
          })
          .finally(() => (reading = null));
      };
      const feed = changeFeed(env.DATABASE_URL);
      // Its own changes; while queued, any run's (a claim moves it up) and any new run (one may go ahead).
      const offRun = feed.onRun((id) => (id === null || id === run.id || queued) && hint());
      const offQueue = feed.onQueue(() => queued && hint());
      const recheck = setInterval(hint, RECHECK_MS);
      const keepalive = setInterval(() => send(": keepalive\n\n"), KEEPALIVE_MS);
      const close = () => {
        if (closed) return;
        closed = true;
        offRun();
        offQueue();
        clearInterval(recheck);
        clearInterval(keepalive);
        req.signal.removeEventListener("abort", close);
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      stop = close;
      req.signal.addEventListener("abort", close);
      hint();
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, { headers });
}
