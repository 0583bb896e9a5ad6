// Large traces are stored in chunks without one long transaction (server/traces/store.ts):
// several 12 MB traces stored at once all arrive whole, read back chunk by chunk, and a stale
// attempt's chunks never become part of a run's trace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { PROVIDERS, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { claimRun, enqueueRun, finishRun } from "@/server/worker/queue";
import { deleteUnreachableTraceChunks, openStoredTrace, readStoredTrace, TRACE_CHUNK_BYTES } from "@/server/traces/store";
import { createScenario } from "@/server/scenarios/store";
import { TEMPLATES } from "@/server/templates";

const LARGE_TRACE_BYTES = 12 * 1024 * 1024 + 12_345;
const OVERLAPPING_STORES = 3;

describe.each(PROVIDERS)("stored traces on %s", (provider) => {
  let t: TestDb;
  let owner: string;
  let scenarioId: string;
  let versionId: string;

  beforeAll(async () => {
    t = await createTestDb(provider);
    owner = (await makeUser(t.db, "traces")).id;
    scenarioId = (await createScenario(t.db, owner, TEMPLATES[0]!.source)).id;
    versionId = (await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId }, select: { id: true } })).id;
  });
  afterAll(async () => t.drop());

  const outcome = (trace: Uint8Array) => ({ ok: true as const, engine: "test", verdict: "pass" as const, summary: { checks: [] }, eventCount: 1, trace });

  it("stores several large traces at once, each whole, and reads them back chunk by chunk", async () => {
    const ids: string[] = [];
    for (let i = 0; i < OVERLAPPING_STORES; i++) ids.push((await enqueueRun(t.db, { ownerId: owner, scenarioId, versionId, seed: i + 1, seedCount: 1 })).id);
    const claims = [];
    for (let i = 0; i < OVERLAPPING_STORES; i++) claims.push((await claimRun(t.db, `w${i}`, 120_000))!);
    // Incompressible bytes, so the sizes are what is stored.
    const traces = claims.map(() => new Uint8Array(randomBytes(LARGE_TRACE_BYTES)));
    const stored = await Promise.all(claims.map((c, i) => finishRun(t.db, c.id, c.attempt, outcome(traces[i]!))));
    expect(stored).toEqual(claims.map(() => true));
    for (const [i, c] of claims.entries()) {
      const opened = await openStoredTrace(t.db, c.id);
      expect(opened).toMatchObject({ attempt: c.attempt, byteCount: LARGE_TRACE_BYTES, chunkCount: Math.ceil(LARGE_TRACE_BYTES / TRACE_CHUNK_BYTES) });
      let total = 0;
      for await (const chunk of opened!.chunks) {
        expect(chunk.byteLength).toBeLessThanOrEqual(TRACE_CHUNK_BYTES);
        total += chunk.byteLength;
      }
      expect(total).toBe(LARGE_TRACE_BYTES);
      expect(Buffer.from((await readStoredTrace(t.db, c.id))!).equals(Buffer.from(traces[i]!))).toBe(true);
      expect(await t.db.run.findUniqueOrThrow({ where: { id: c.id }, select: { status: true } })).toEqual({ status: "done" });
    }
  }, 120_000);

  it("keeps only the storing attempt's chunks: a stale worker's trace never shows", async () => {
    const { id } = await enqueueRun(t.db, { ownerId: owner, scenarioId, versionId, seed: 99, seedCount: 1 });
    const stale = (await claimRun(t.db, "stalls", 1))!;
    await new Promise((r) => setTimeout(r, 20));
    const fresh = (await claimRun(t.db, "healthy", 120_000))!;
    expect(fresh).toMatchObject({ id, attempt: stale.attempt + 1 });
    const staleTrace = new Uint8Array(randomBytes(3 * TRACE_CHUNK_BYTES));
    const freshTrace = new Uint8Array(randomBytes(2 * TRACE_CHUNK_BYTES + 7));
    expect(await finishRun(t.db, id, stale.attempt, outcome(staleTrace))).toBe(false);
    expect(await finishRun(t.db, id, fresh.attempt, outcome(freshTrace))).toBe(true);
    expect(Buffer.from((await readStoredTrace(t.db, id))!).equals(Buffer.from(freshTrace))).toBe(true);
    const chunks = await t.db.runTraceChunk.findMany({ where: { runId: id }, select: { attempt: true } });
    expect(chunks.length).toBe(3);
    expect(new Set(chunks.map((c) => c.attempt))).toEqual(new Set([fresh.attempt]));
  });

  it("clears chunks nobody can reach, and only those", async () => {
    // A finished run whose dead attempt left chunks, a running run writing its own, a stored trace.
    const stored = (await enqueueRun(t.db, { ownerId: owner, scenarioId, versionId, seed: 201, seedCount: 1 })).id;
    const c = (await claimRun(t.db, "w", 120_000))!;
    expect(c.id).toBe(stored);
    await finishRun(t.db, stored, c.attempt, outcome(new Uint8Array(randomBytes(1000))));
    const writing = (await enqueueRun(t.db, { ownerId: owner, scenarioId, versionId, seed: 202, seedCount: 1 })).id;
    await claimRun(t.db, "w", 120_000);
    const data = new Uint8Array([1, 2, 3]);
    await t.db.runTraceChunk.createMany({
      data: [
        { runId: stored, attempt: c.attempt + 7, index: 0, data },
        { runId: writing, attempt: 1, index: 0, data },
      ],
    });
    await deleteUnreachableTraceChunks(t.db);
    expect(await t.db.runTraceChunk.count({ where: { runId: stored, attempt: c.attempt + 7 } })).toBe(0);
    expect(await t.db.runTraceChunk.count({ where: { runId: writing } })).toBe(1);
    expect((await readStoredTrace(t.db, stored))?.byteLength).toBe(1000);
  });

  it("has nothing to read for a run without a trace", async () => {
    const { id } = await enqueueRun(t.db, { ownerId: owner, scenarioId, versionId, seed: 100, seedCount: 1 });
    expect(await openStoredTrace(t.db, id)).toBeNull();
    expect(await readStoredTrace(t.db, id)).toBeNull();
  });
});
