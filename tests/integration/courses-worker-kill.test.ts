// Reliability of grading: a worker process is killed with SIGKILL in the middle of grading
// submissions; another worker takes over after the lease, and every submission ends graded
// once, with the same result as grading it here in this process. The test waits on the
// gradings' progress, not on a wall-clock budget.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { killWorker, RELIABILITY_TEST_TIMEOUT_MS, startWorker, untilDone, type TestWorker } from "../helpers/worker";
import { gradeRun } from "@/server/courses/grading";

// About a million events a seed: a grading of a few seeds takes long enough to be killed in.
const BUSY_HIDDEN = `version: 1
name: busy hidden grading scenario
until: 600s
maxEvents: 1000000
nodes: [{ id: A }, { id: B }, { id: C }, { id: D }, { id: E }, { id: F }, { id: G }, { id: H }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol:
  kind: request-response
  client: { timeout: 50ms, retries: 3 }
  server: { processing: 1ms, dedupe: true }
workload:
  - { clients: all, target: random, outstanding: 2, op: read, key: k }
checks: [all-complete, at-most-once]
`;

const STARTER = `version: 1
name: tune the retries
nodes: [{ id: A }, { id: B }]
protocol:
  kind: request-response
  client: { timeout: 50ms, retries: 0 }
  server: { processing: 1ms, dedupe: true }
workload:
  - { client: A, server: B, op: read, key: k, count: 10, interval: 10ms }
checks: [all-complete]
`;

describe.each(PROVIDERS)("grading when a worker is killed, on %s", (provider) => {
  let t: TestDb;
  const workers: TestWorker[] = [];
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => {
    for (const w of workers) await killWorker(w);
    await t.drop();
  });

  it("completes every grading once, with the deterministic result", async () => {
    const instructor = await makeUser(t.db, "kill instructor");
    const course = await callerFor(t, instructor).course.create({ title: "Kill course" });
    const { id: assignmentId } = await callerFor(t, instructor).assignment.create({
      courseId: course.id,
      kind: "fix-it",
      title: "Survive the busy network",
      starterSource: STARTER,
      deadline: new Date(Date.now() + 86_400_000),
      tests: [1, 2, 3].map((k) => ({
        name: `busy ${k}`, points: k, visible: k !== 3, seeds: { from: k * 10, count: 3 }, scenario: BUSY_HIDDEN,
        requirements: { checks: ["all-complete", "at-most-once"], minHeldShare: 0.5 },
      })),
    });
    const acks: { id: string; runId: string }[] = [];
    for (const retries of [1, 5]) {
      const student = await makeUser(t.db, `student ${retries}`);
      const api = callerFor(t, student);
      await api.course.join({ code: course.joinCode });
      const { scenarioId } = await api.assignment.start({ id: assignmentId });
      await api.scenario.saveVersion({ id: scenarioId, source: STARTER.replace("retries: 0", `retries: ${retries}`) });
      acks.push(await api.assignment.submit({ assignmentId, scenarioId }));
    }
    const runIds = acks.map((a) => a.runId);
    const state = async () => JSON.stringify(await t.db.run.findMany({ where: { id: { in: runIds } }, orderBy: { id: "asc" }, select: { status: true, attempt: true, progress: true } }));

    const first = startWorker(t.url, "worker-1");
    workers.push(first);
    await first.ready;
    const inFlight = await untilDone(
      "a grading in progress",
      async () => {
        const running = await t.db.run.findMany({ where: { id: { in: runIds }, status: "running", progress: { gt: 0 } }, select: { id: true } });
        return running.length > 0 ? running.map((r) => r.id) : null;
      },
      state,
    );
    await killWorker(first);
    expect(await t.db.run.count({ where: { id: { in: runIds }, status: "done" } })).toBeLessThan(runIds.length);

    const second = startWorker(t.url, "worker-2");
    workers.push(second);
    await second.ready;
    await untilDone("every grading to end", async () => (await t.db.run.count({ where: { id: { in: runIds }, status: { in: ["done", "failed"] } } })) === runIds.length, state);
    second.child.kill("SIGTERM");

    for (const ack of acks) {
      const run = await t.db.run.findUniqueOrThrow({ where: { id: ack.runId }, select: { status: true, attempt: true, failures: true, summary: true, submissionId: true, version: { select: { source: true } } } });
      expect(run.status).toBe("done");
      // The killed worker's gradings started over without counting a failure.
      expect(run.failures).toBe(0);
      expect(run.submissionId).toBe(ack.id);
      // The submission still points at this run, and no other grading run was made for it.
      expect(await t.db.run.count({ where: { submissionId: ack.id } })).toBe(1);
      expect((await t.db.submission.findUniqueOrThrow({ where: { id: ack.id }, select: { gradingRunId: true } })).gradingRunId).toBe(ack.runId);
      const expected = await gradeRun(
        { id: ack.runId, attempt: 1, kind: "grade", seed: 1, seedCount: 1, versionId: "", source: run.version.source, submissionId: ack.id, lostLeases: 0 },
        { db: t.db, deadlineMs: 120_000, signal: new AbortController().signal, onProgress: () => undefined },
      );
      expect(expected.ok).toBe(true);
      if (expected.ok) expect(JSON.parse(run.summary!)).toEqual(expected.summary);
    }
    for (const id of inFlight) expect((await t.db.run.findUniqueOrThrow({ where: { id }, select: { attempt: true } })).attempt).toBeGreaterThanOrEqual(2);
  }, RELIABILITY_TEST_TIMEOUT_MS);
});
