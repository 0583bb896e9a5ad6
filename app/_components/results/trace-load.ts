// Fetches a run's stored trace (sent gzip-compressed, inflated here) and decodes it
// with the simulator's own codec, recording how long each part took as performance measures.

import { decodeTrace } from "@/server/sim/trace/codec";
import type { Trace } from "@/server/sim/trace/trace";

export function traceUrl(runId: string, token: string | null | undefined): string {
  return `/api/runs/${encodeURIComponent(runId)}/trace${token ? `?key=${encodeURIComponent(token)}` : ""}`;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export class TraceLoadError extends Error {
  override name = "TraceLoadError";
}

export async function loadTrace(runId: string, token: string | null | undefined, signal?: AbortSignal): Promise<Trace> {
  const t0 = performance.now();
  const res = await fetch(traceUrl(runId, token), { signal, credentials: "same-origin" });
  if (!res.ok) {
    const text = (await res.text().catch(() => "")).trim();
    throw new TraceLoadError(text || `The trace could not be loaded (HTTP ${res.status}).`);
  }
  let bytes: Uint8Array = new Uint8Array(await res.arrayBuffer());
  // The route sends the stored gzip as it is (application/gzip); a proxy that inflated it on the
  // way leaves plain bytes, which decode directly.
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) bytes = await gunzip(bytes);
  const t1 = performance.now();
  let trace: Trace;
  try {
    trace = decodeTrace(bytes);
  } catch (err) {
    throw new TraceLoadError(`The stored trace could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const t2 = performance.now();
  measure("trace:fetch", t0, t1, { bytes: bytes.length });
  measure("trace:decode", t1, t2, { events: trace.length });
  return trace;
}

/** performance.measure with a detail, where the browser supports it (it always does in Chromium). */
export function measure(name: string, start: number, end: number, detail?: Record<string, unknown>): void {
  try {
    performance.measure(name, { start, end, detail });
  } catch {
    /* an old browser without measure options: the figures are only for the benchmark */
  }
}
