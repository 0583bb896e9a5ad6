// A run's trace: the compact binary form for the run page (stored gzip-compressed and
// sent as a .gz file; the page inflates it with DecompressionStream), or ?format=jsonl,
// one event per line, streamed so a million-event trace never sits in memory as one string.
import { gunzipSync } from "node:zlib";
import { db } from "@/server/db";
import { notFoundResponse, readableRun } from "@/app/api/_lib/downloads";
import { decodeTrace, traceJsonlLines } from "@/server/sim";
import { slug } from "@/app/_components/format";
import { guardedRoute } from "@/server/http/route";

export const dynamic = "force-dynamic";

async function get(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const url = new URL(req.url);
  const run = await readableRun(req, (await params).id);
  if (!run) return notFoundResponse("Run");
  const stored = await db.runTrace.findUnique({ where: { runId: run.id }, select: { data: true } });
  if (!stored) return new Response("This run has no trace (it is not finished, or it is a sweep)\n", { status: 404, headers: { "content-type": "text/plain" } });
  const gz = Buffer.from(stored.data);
  if (url.searchParams.get("format") !== "jsonl") {
    return new Response(gz, {
      // Not Content-Encoding: Next's server may compress responses itself and drops that header.
      headers: { "content-type": "application/gzip", "cache-control": "private, max-age=3600" },
    });
  }
  const trace = decodeTrace(new Uint8Array(gunzipSync(gz)));
  const lines = traceJsonlLines(trace);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = "";
      for (let i = 0; i < 2000; i++) {
        const next = lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value + "\n";
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
  const file = `${slug(run.scenario.name)}-seed${run.seed}.jsonl`;
  return new Response(stream, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="${file}"` } });
}

export const GET = guardedRoute(get);
