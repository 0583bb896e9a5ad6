// The database queue's guarantees (docs/queue.md), on each database: claims are
// exclusive, leases expire into new attempts, and a stale attempt can never store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { claimRun, enqueueRun, finishRun, renewLease } from "@/server/worker/queue";
import { createScenario } from "@/server/scenarios/store";
import { TEMPLATES } from "@/server/templates";

/** More than the rows a claim looks at (server/worker/queue.ts CLAIM_CANDIDATES). */
const CANDIDATES_SEEN = 8;

describe.each(PROVIDERS)("queue on %s", (provider) => {
  let t: TestDb;
  let ownerId: string;
  let scenarioId: string;
  let versionId: string;

  beforeAll(async () => {
    t = await createTestDb(provider);
    ownerId = (await makeUser(t.db, "queue")).id;
    scenarioId = (await createScenario(t.db, ownerId, TEMPLATES[0]!.source)).id;
    versionId = (await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId }, select: { id: true } })).id;
  });
  afterAll(async () => t.drop());

  async function queued(n = 1, maxAttempts?: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await enqueueRun(t.db, { ownerId, scenarioId, versionId, seed: i + 1, seedCount: 1, maxAttempts })).id);
    return ids;
  }
  async function drain() {
    await t.db.run.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "failed", error: "drained by test" } });
  }
  const ok = { ok: true as const, engine: "test", verdict: "pass" as const, summary: { checks: [] }, eventCount: 3, trace: new Uint8Array([1, 2, 3]) };

  it("claims runs oldest first, each by exactly one of many concurrent claimers", async () => {
    await drain();
    const ids = await queued(6);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimRun(t.db, `w${i}`, 30_000)));
    const got = claims.filter((c) => c !== null).map((c) => c!.id);
    expect(new Set(got).size).toBe(got.length);
    expect(got.length).toBeGreaterThan(0);
    for (const c of claims.filter((c) => c !== null)) expect(c!.attempt).toBe(1);
    // Whatever was not claimed in the scramble is claimable now; nothing is lost.
    const rest: string[] = [];
    for (let c = await claimRun(t.db, "late", 30_000); c; c = await claimRun(t.db, "late", 30_000)) rest.push(c.id);
    expect([...got, ...rest].sort()).toEqual([...ids].sort());
    const first = await t.db.run.findUniqueOrThrow({ where: { id: ids[0]! }, select: { status: true, attempt: true } });
    expect(first).toEqual({ status: "running", attempt: 1 });
  });

  it("gives a run whose lease ran out to a new attempt, and fences off the old one", async () => {
    await drain();
    const [id] = await queued(1);
    const a1 = await claimRun(t.db, "dying", 1);
    expect(a1?.id).toBe(id);
    await new Promise((r) => setTimeout(r, 20));
    const a2 = await claimRun(t.db, "healthy", 30_000);
    expect(a2).toMatchObject({ id, attempt: 2 });
    // The first worker wakes up: it can neither renew nor store.
    expect(await renewLease(t.db, id!, 1, 30_000)).toBe(false);
    expect(await finishRun(t.db, id!, 1, { ...ok, verdict: "fail" })).toBe(false);
    expect(await finishRun(t.db, id!, 1, { ok: false, error: "stale", retryable: true })).toBe(false);
    // The second stores its result, exactly once.
    expect(await finishRun(t.db, id!, 2, ok)).toBe(true);
    expect(await finishRun(t.db, id!, 2, ok)).toBe(false);
    const row = await t.db.run.findUniqueOrThrow({ where: { id: id! }, select: { status: true, verdict: true, attempt: true, trace: { select: { attempt: true, byteCount: true } } } });
    expect(row).toEqual({ status: "done", verdict: "pass", attempt: 2, trace: { attempt: 2, byteCount: 3 } });
  });

  it("does not hand out a run while its lease is alive", async () => {
    await drain();
    const [id] = await queued(1);
    expect((await claimRun(t.db, "a", 30_000))?.id).toBe(id);
    expect(await claimRun(t.db, "b", 30_000)).toBeNull();
    expect(await renewLease(t.db, id!, 1, 30_000, 0.5)).toBe(true);
    expect((await t.db.run.findUniqueOrThrow({ where: { id: id! } })).progress).toBe(0.5);
  });

  it("retries a retryable failure a bounded number of times, then keeps the reason", async () => {
    await drain();
    const [id] = await queued(1, 2);
    const c1 = await claimRun(t.db, "w", 30_000);
    expect(await finishRun(t.db, id!, c1!.attempt, { ok: false, error: "database hiccup", retryable: true })).toBe(true);
    expect((await t.db.run.findUniqueOrThrow({ where: { id: id! } })).status).toBe("queued");
    const c2 = await claimRun(t.db, "w", 30_000);
    expect(c2?.attempt).toBe(2);
    expect(await finishRun(t.db, id!, 2, { ok: false, error: "database hiccup again", retryable: true })).toBe(true);
    const row = await t.db.run.findUniqueOrThrow({ where: { id: id! } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/^database hiccup again/);
    expect(await claimRun(t.db, "w", 30_000)).toBeNull();
  });

  it("fails a run at once on a failure that would repeat", async () => {
    await drain();
    const [id] = await queued(1, 3);
    const c = await claimRun(t.db, "w", 30_000);
    await finishRun(t.db, id!, c!.attempt, { ok: false, error: "The scenario took too long.", retryable: false });
    expect(await t.db.run.findUniqueOrThrow({ where: { id: id! }, select: { status: true, attempt: true } })).toEqual({ status: "failed", attempt: 1 });
  });

  it("claims a run again after its worker died without using up one of its attempts", async () => {
    await drain();
    // One attempt allowed: a worker's death is not the run's failure, so it still runs.
    const [id] = await queued(1, 1);
    await claimRun(t.db, "dies", 1);
    await new Promise((r) => setTimeout(r, 20));
    const again = await claimRun(t.db, "next", 30_000);
    expect(again).toMatchObject({ id, attempt: 2 });
    expect(await finishRun(t.db, id!, 2, ok)).toBe(true);
    expect(await t.db.run.findUniqueOrThrow({ where: { id: id! }, select: { status: true, failures: true, lostLeases: true } })).toEqual({ status: "done", failures: 0, lostLeases: 1 });
  });

  it("stops re-running a run whose workers keep dying after a bounded number of deaths, saying so", async () => {
    await drain();
    const [id] = await queued(1, 3);
    const lostLeasesMax = 3;
    let claims = 0;
    for (;;) {
      const c = await claimRun(t.db, `dies-${claims}`, 1, new Date(), { lostLeasesMax });
      if (!c) break;
      claims++;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(claims).toBe(lostLeasesMax);
    const row = await t.db.run.findUniqueOrThrow({ where: { id: id! } });
    expect(row.status).toBe("failed");
    expect(row.lostLeases).toBe(lostLeasesMax);
    expect(row.error).toMatch(/worker stopped 3 times before the run could finish/);
    expect(row.error).toMatch(/killed or restarted/);
  });

  it("counts errors and worker deaths apart: a death does not use up an error retry", async () => {
    await drain();
    const [id] = await queued(1, 2);
    await claimRun(t.db, "dies", 1);
    await new Promise((r) => setTimeout(r, 20));
    const c2 = await claimRun(t.db, "w", 30_000);
    expect(c2).toMatchObject({ id, attempt: 2 });
    // The first error after a death is the run's first failure: it is retried.
    expect(await finishRun(t.db, id!, 2, { ok: false, error: "database hiccup", retryable: true })).toBe(true);
    expect(await t.db.run.findUniqueOrThrow({ where: { id: id! }, select: { status: true, failures: true } })).toEqual({ status: "queued", failures: 1 });
    const c3 = await claimRun(t.db, "w", 30_000);
    expect(await finishRun(t.db, id!, c3!.attempt, { ok: false, error: "Database hiccup again", retryable: true })).toBe(true);
    const row = await t.db.run.findUniqueOrThrow({ where: { id: id! } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/^Database hiccup again \(the same happened on each of 2 tries\)/);
  });

  it("re-claims a run whose worker died before any queued run", async () => {
    await drain();
    const ids = await queued(CANDIDATES_SEEN + 2);
    // The newest run was being worked on by a worker that died: its lease ran out.
    const orphan = ids[ids.length - 1]!;
    await t.db.run.update({ where: { id: orphan }, data: { status: "running", attempt: 1, workerId: "dead", leaseUntil: new Date(Date.now() - 1000) } });
    const c = await claimRun(t.db, "w", 30_000);
    expect(c).toMatchObject({ id: orphan, attempt: 2 });
  });
});
