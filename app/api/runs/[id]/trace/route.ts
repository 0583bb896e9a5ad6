// A run's trace: the compact binary form for the run page (stored gzip-compressed and sent as a
// .gz file; the page inflates it with DecompressionStream), or ?format=jsonl, one event per line,
// decoded and written by a separate process and streamed through (server/traces/jsonl-export.ts).
import { db } from "@/server/db";
import { notFoundResponse, readableRun } from "@/app/api/_lib/downloads";
import { slug } from "@/app/_components/format";
import { guardedRoute } from "@/server/http/route";
import { clientAddressOf } from "@/server/http/client-address";
import { exportTraceJsonl } from "@/server/traces/jsonl-export";

export const dynamic = "force-dynamic";

const NO_TRACE = "This run has no trace (it is not finished, or it is a sweep)\n";

async function get(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const url = new URL(req.url);
  const run = await readableRun(req, (await params).id);
  if (!run) return notFoundResponse("Run");
  const plain = { "content-type": "text/plain; charset=utf-8" };
  if (url.searchParams.get("format") !== "jsonl") {
    const stored = await db.runTrace.findUnique({ where: { runId: run.id }, select: { data: true } });
    if (!stored) return new Response(NO_TRACE, { status: 404, headers: plain });
    // Not Content-Encoding: Next's server may compress responses itself and drops that header.
    return new Response(Buffer.from(stored.data), { headers: { "content-type": "application/gzip", "cache-control": "private, max-age=3600" } });
  }
  if (!(await db.runTrace.findUnique({ where: { runId: run.id }, select: { runId: true } }))) return new Response(NO_TRACE, { status: 404, headers: plain });
  const started = exportTraceJsonl(run.id, clientAddressOf(req.headers));
  if (!started.ok) {
    return new Response(`Trace downloads are busy; try again in ${started.retryAfterSeconds} s.\n`, {
      status: 429,
      headers: { ...plain, "retry-after": String(started.retryAfterSeconds) },
    });
  }
  const file = `${slug(run.scenario.name)}-seed${run.seed}.jsonl`;
  return new Response(started.body, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="${file}"` } });
}

export const GET = guardedRoute(get);
