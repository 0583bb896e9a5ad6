// Wake-ups (server/worker/signals.ts): a process hears that a run was queued or changed when it
// happens (LISTEN/NOTIFY on PostgreSQL, a watch on the database's files on SQLite), so an idle
// worker starts a new run at once instead of at its next poll.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { killWorker, RELIABILITY_TEST_TIMEOUT_MS, startWorker, untilDone, type TestWorker } from "../helpers/worker";
import { changeFeed, closeChangeFeeds } from "@/server/worker/signals";
import { claimRun, enqueueRun } from "@/server/worker/queue";
import { createScenario } from "@/server/scenarios/store";
import { createDb } from "@/server/db/client";
import { TEMPLATES } from "@/server/templates";

/** The longest poll the worker settings allow: a claim sooner than half of it was a wake-up. */
const POLL_MS = 60_000;

describe.each(PROVIDERS)("wake-ups on %s", (provider) => {
  let t: TestDb;
  let enqueue: () => Promise<string>;
  const workers: TestWorker[] = [];
  beforeAll(async () => {
    t = await createTestDb(provider);
    const owner = await makeUser(t.db, "signals");
    const s = await createScenario(t.db, owner.id, TEMPLATES[0]!.source);
    const v = await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: s.id }, select: { id: true } });
    // Written through another client, as another process would.
    const other = createDb(t.url);
    enqueue = async () => (await enqueueRun(other, { ownerId: owner.id, scenarioId: s.id, versionId: v.id, seed: 1, seedCount: 1 })).id;
  });
  afterAll(async () => {
    for (const w of workers) await killWorker(w);
    closeChangeFeeds();
    await t.drop();
  });

  it("tells a listener when a run is queued, and when a run changes", async () => {
    const feed = changeFeed(t.url);
    let stopQueue = () => undefined as void;
    const queued = new Promise<void>((resolve) => (stopQueue = feed.onQueue(resolve)));
    // Listening starts asynchronously (a connection, a file watch): enqueue until one is heard.
    let id = await enqueue();
    while (!(await Promise.race([queued.then(() => true), new Promise((r) => setTimeout(() => r(false), 200))]))) id = await enqueue();
    stopQueue();
    // PostgreSQL names the run that changed; SQLite says that something changed (null).
    const expected = provider === "postgres" ? id : null;
    const changed = new Promise<void>((resolve) => {
      const stop = feed.onRun((runId) => {
        if (runId === expected) {
          stop();
          resolve();
        }
      });
    });
    await t.db.run.updateMany({ where: { status: "queued" }, data: { status: "failed", error: "cleared by test" } });
    await changed;
  });

  it("starts a run queued while its worker was idle at once, not at its next poll", async () => {
    await t.db.run.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "failed", error: "cleared by test" } });
    const w = startWorker(t.url, "idle-worker", { WORKER_POLL_MS: String(POLL_MS) });
    workers.push(w);
    await w.ready;
    // Let its slots find nothing and go idle.
    expect(await claimRun(t.db, "test", 1000)).toBeNull();
    await new Promise((r) => setTimeout(r, 500));
    const id = await enqueue();
    const row = await untilDone("the run to be claimed", async () => {
      const r = await t.db.run.findUniqueOrThrow({ where: { id }, select: { status: true, createdAt: true, startedAt: true } });
      return r.startedAt ? r : null;
    }, async () => "waiting", 2 * POLL_MS);
    expect(row.startedAt!.getTime() - row.createdAt.getTime()).toBeLessThan(POLL_MS / 2);
  }, RELIABILITY_TEST_TIMEOUT_MS);
});
