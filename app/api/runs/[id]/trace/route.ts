// A run's trace: the compact binary form for the run page (stored gzip-compressed and sent as a
// .gz file; the page inflates it with DecompressionStream), or ?format=jsonl, one event per line,
// decoded and written by a separate process and streamed through (server/traces/jsonl-export.ts).
import { db } from "@/server/db";
import { openStoredTrace } from "@/server/traces/store";
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
  const stored = await openStoredTrace(db, run.id);
  if (!stored) return new Response(NO_TRACE, { status: 404, headers: plain });
  if (url.searchParams.get("format") !== "jsonl") {
    // The stored gzip bytes, chunk by chunk as they are read from the database.
    const chunks = stored.chunks[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
    });
    return new Response(body, {
      // Not Content-Encoding: Next's server may compress responses itself and drops that header.
      headers: { "content-type": "application/gzip", "content-length": String(stored.byteCount), "cache-control": "private, max-age=3600" },
    });
  }
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
