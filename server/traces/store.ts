// Stored traces. A run's gzip-compressed trace is written as chunks of TRACE_CHUNK_BYTES, each
// in its own short statement, before the short fenced transaction that stores the result and
// points RunTrace at the attempt (server/worker/queue.ts finishRun). Readers follow RunTrace and
// read one chunk at a time, so neither storing nor downloading a large trace holds a long
// transaction, and overlapping stores of large traces do not wait on each other for long.
import type { Db } from "@/server/db";

/** Size of one stored chunk of a trace: one short write each, small enough for any driver. */
export const TRACE_CHUNK_BYTES = 1024 * 1024;

/** What RunTrace says about a stored trace. */
export interface StoredTraceInfo {
  attempt: number;
  /** Size of the gzip-compressed trace in bytes. */
  byteCount: number;
  /** 0 for traces stored whole in RunTrace.data (before chunks existed). */
  chunkCount: number;
}

/**
 * Writes an attempt's compressed trace as chunks and returns how many. Any chunks the same
 * attempt wrote before (an earlier try that failed half-way) are replaced.
 */
export async function writeTraceChunks(db: Db, runId: string, attempt: number, gz: Uint8Array): Promise<number> {
  await db.runTraceChunk.deleteMany({ where: { runId, attempt } });
  let index = 0;
  for (let offset = 0; offset < gz.byteLength; offset += TRACE_CHUNK_BYTES, index++) {
    const data = new Uint8Array(gz.subarray(offset, Math.min(gz.byteLength, offset + TRACE_CHUNK_BYTES)));
    await db.runTraceChunk.create({ data: { runId, attempt, index, data }, select: { index: true } });
  }
  return index;
}

/** Removes the chunks of one attempt, or of every attempt but one (garbage once a result is stored). */
export async function deleteTraceChunks(db: Db, runId: string, which: { attempt: number } | { exceptAttempt: number }): Promise<void> {
  await db.runTraceChunk.deleteMany({ where: "attempt" in which ? { runId, attempt: which.attempt } : { runId, attempt: { not: which.exceptAttempt } } });
}

/**
 * Removes chunks no reader can reach: those of finished runs whose stored trace is another
 * attempt's (or that stored none). Left behind when a worker died between writing chunks and
 * storing its result; a worker calls this when it starts.
 */
export async function deleteUnreachableTraceChunks(db: Db): Promise<number> {
  return db.$executeRawUnsafe(`DELETE FROM "RunTraceChunk" WHERE EXISTS (
    SELECT 1 FROM "Run" r WHERE r."id" = "RunTraceChunk"."runId" AND r."status" IN ('done', 'failed')
  ) AND NOT EXISTS (
    SELECT 1 FROM "RunTrace" t WHERE t."runId" = "RunTraceChunk"."runId" AND t."attempt" = "RunTraceChunk"."attempt"
  )`);
}

export async function storedTraceInfo(db: Db, runId: string): Promise<StoredTraceInfo | null> {
  return db.runTrace.findUnique({ where: { runId }, select: { attempt: true, byteCount: true, chunkCount: true } });
}

/**
 * A run's stored trace as gzip bytes, chunk by chunk (one database read per chunk), or null
 * when it has none. The bytes are the gzip file the run page and the download route serve.
 */
export async function openStoredTrace(db: Db, runId: string): Promise<(StoredTraceInfo & { chunks: AsyncIterable<Uint8Array> }) | null> {
  const info = await storedTraceInfo(db, runId);
  if (!info) return null;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (info!.chunkCount === 0) {
      const whole = await db.runTrace.findUnique({ where: { runId }, select: { data: true } });
      if (whole) yield new Uint8Array(whole.data);
      return;
    }
    for (let index = 0; index < info!.chunkCount; index++) {
      const chunk = await db.runTraceChunk.findUnique({ where: { runId_attempt_index: { runId, attempt: info!.attempt, index } }, select: { data: true } });
      // A result names its chunks only after they are all written, and they are never removed
      // while it stands: a missing one is a bug, not a race.
      if (!chunk) throw new Error(`run ${runId}: trace chunk ${index} of attempt ${info!.attempt} is missing`);
      yield new Uint8Array(chunk.data);
    }
  }
  return { ...info, chunks: chunks() };
}

/** The whole stored trace as gzip bytes (tests, and callers that need it at once), or null. */
export async function readStoredTrace(db: Db, runId: string): Promise<Uint8Array | null> {
  const stored = await openStoredTrace(db, runId);
  if (!stored) return null;
  const parts: Uint8Array[] = [];
  for await (const c of stored.chunks) parts.push(c);
  return concatBytes(parts);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
