// Courses through their tRPC procedures on each database: who may call what (student, other
// student, TA, instructor, outsider, signed out), hidden scenarios never reaching students, the
// edit rules, the late policy and rate limit, grading results derived from the scenarios' own
// definitions, the gradebook and its CSV, and regrading.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { PROVIDERS, callerFor, codeOf, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { sharedScenario } from "../helpers/scenarios";
import type { SessionUser } from "@/server/auth/options";
import { claimRun, finishRun } from "@/server/worker/queue";
import { gradeRun, gradingScenario, type GradeSummary } from "@/server/courses/grading";
import { ZFixItTest } from "@/server/courses/definition";
import { gradebookCsv } from "@/server/courses/views";
import { parseScenarioText, runScenario, type Scenario } from "@/server/sim";
import { seedDemo, DEMO_EMAIL } from "@/server/demo/seed";
import { DEMO_STUDENT_EMAIL } from "@/server/courses/demo";
import { demoImplementIt } from "@/server/courses/examples";
import { programFilesOf, setProgramFile } from "@/server/scenarios/program-files";
import { builtinProtocol } from "@/server/sim/protocols/registry";

/** The first `n` fault lines of a built-in protocol's example scenario. */
function exampleFaults(kind: string, n: number): string {
  return builtinProtocol(kind)!.example.split("faults:\n")[1]!.split("\n").slice(0, n).join("\n");
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An answer to the demo implement-it assignment: gossip resent until acknowledged, kept in durable storage. */
const DURABLE_GOSSIP = `var node = require('maelstrom');
var storage = require('faultline').storage;
var neighbours = [];
var seen = new Set();
function pass(m, except) {
  neighbours.forEach(function (peer) {
    if (peer !== except) node.retryRPC(peer, { type: 'broadcast', message: m }, function () {}, 200);
  });
}
node.on('init', function () {
  (storage.get('seen') || []).forEach(function (m) { seen.add(m); });
  neighbours = storage.get('neighbours') || [];
  seen.forEach(function (m) { pass(m, null); });
});
node.on('topology', function (req) {
  neighbours = req.body.topology[node.nodeId()] || [];
  storage.set('neighbours', neighbours);
  seen.forEach(function (m) { pass(m, null); });
  node.reply(req, { type: 'topology_ok' });
});
node.on('read', function (req) {
  node.reply(req, { type: 'read_ok', messages: Array.from(seen) });
});
node.on('broadcast', function (req) {
  var m = req.body.message;
  if (!seen.has(m)) {
    seen.add(m);
    storage.set('seen', Array.from(seen));
    pass(m, req.src);
  }
  if (req.body.msg_id !== undefined) node.reply(req, { type: 'broadcast_ok' });
});
node.main();
`;
const HIDDEN_MARK = "ZETA-7731";


async function errorOf(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) return err;
    throw err;
  }
  throw new Error("expected an error");
}

function parsed(source: string): Scenario {
  const r = parseScenarioText(source);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

// Break it, on the slide's "response lost": the starter has no faults; without dedupe, a lost
// response makes C1 resend and C2 execute the write again, so at-most-once fails.
const RESPONSE_LOST = sharedScenario("05-response-lost.yaml");
const BREAK_STARTER = RESPONSE_LOST.replace(/faults:\n( {2}- .*\n)+/, "faults: []\n");
// Fix it, on the slide's lossy network: loss 0.1 each way, 100 requests a seed.
const LOSSY = sharedScenario("09-lossy-network-sweep.yaml");
const FIX_STARTER = LOSSY.replace("retries: 2", "retries: 0");
const HIDDEN = LOSSY.replace("name: lossy network, three tries", `name: hidden grading scenario ${HIDDEN_MARK}`);

function breakItInput(courseId: string, extra: Record<string, unknown> = {}) {
  return {
    courseId,
    kind: "break-it" as const,
    title: "Break it: write twice",
    instructions: "Make the write happen **twice**.",
    starterSource: BREAK_STARTER,
    deadline: new Date(Date.now() + 7 * DAY_MS),
    rules: { maxFaults: 1, faultKinds: ["drop", "duplicate"] },
    tests: [
      { name: "at-most-once fails on seed 1", points: 6, visible: true, seeds: { from: 1, count: 1 }, requirements: { check: "at-most-once" } },
      { name: `secret seeds ${HIDDEN_MARK}`, points: 4, visible: false, seeds: { from: 1, count: 10 }, requirements: { check: "at-most-once", failOn: "every" } },
    ],
    ...extra,
  };
}

function fixItInput(courseId: string, extra: Record<string, unknown> = {}) {
  return {
    courseId,
    kind: "fix-it" as const,
    title: "Fix it: lossy network",
    starterSource: FIX_STARTER,
    deadline: new Date(Date.now() + 7 * DAY_MS),
    tests: [
      { name: "every request completes on every seed", points: 5, visible: true, seeds: { from: 1, count: 20 }, scenario: HIDDEN, requirements: { checks: ["all-complete"] } },
      { name: "cheap and complete", points: 5, visible: false, seeds: { from: 1, count: 20 }, scenario: HIDDEN, requirements: { checks: ["at-most-once"], minCompletionRate: 0.98, maxMessagesPerRequest: 3 } },
    ],
    ...extra,
  };
}

describe.each(PROVIDERS)("courses on %s", (provider) => {
  let t: TestDb;
  let instructor: SessionUser, ta: SessionUser, alice: SessionUser, bob: SessionUser, outsider: SessionUser, otherInstructor: SessionUser;
  let courseId: string;
  let joinCode: string;

  /** Grades every queued run here, as a worker would: claim, grade, store fenced by attempt. */
  async function gradeQueued(): Promise<number> {
    let n = 0;
    // Deadlines far beyond what grading needs: on a loaded machine a sandboxed program's seeds can
    // take a minute, and the wall clock is not what these tests are about.
    for (let c = await claimRun(t.db, "test-worker", 600_000); c; c = await claimRun(t.db, "test-worker", 600_000)) {
      const outcome = await gradeRun(c, { db: t.db, deadlineMs: 600_000, signal: new AbortController().signal, onProgress: () => undefined, sweepThreads: 2 });
      expect(await finishRun(t.db, c.id, c.attempt, outcome)).toBe(true);
      n++;
    }
    return n;
  }

  async function scenarioWith(user: SessionUser, assignmentId: string, source?: string) {
    const api = callerFor(t, user);
    const { scenarioId } = await api.assignment.start({ id: assignmentId });
    if (source) await api.scenario.saveVersion({ id: scenarioId, source });
    return scenarioId;
  }

  beforeAll(async () => {
    t = await createTestDb(provider);
    instructor = await makeUser(t.db, "Ines Instructor");
    ta = await makeUser(t.db, "Tara TA");
    alice = await makeUser(t.db, "Alice");
    bob = await makeUser(t.db, "Bob");
    outsider = await makeUser(t.db, "Olga Outsider");
    otherInstructor = await makeUser(t.db, "Otto Other");
    const course = await callerFor(t, instructor).course.create({ title: "Distributed Systems", description: "Fall" });
    courseId = course.id;
    joinCode = course.joinCode;
    await callerFor(t, instructor).course.addTa({ id: courseId, email: ta.email });
    await callerFor(t, alice).course.join({ code: joinCode.toLowerCase() });
    await callerFor(t, bob).course.join({ code: ` ${joinCode} ` });
    await callerFor(t, otherInstructor).course.create({ title: "Another course" });
  });
  afterAll(async () => t.drop());

  describe("courses and roles", () => {
    it("gives each role its view of the course; outsiders find nothing", async () => {
      expect(joinCode).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
      const asInstructor = await callerFor(t, instructor).course.byId({ id: courseId });
      expect(asInstructor).toMatchObject({ role: "instructor", joinCode, studentCount: 2 });
      expect(await callerFor(t, ta).course.byId({ id: courseId })).toMatchObject({ role: "ta", joinCode });
      const asStudent = await callerFor(t, alice).course.byId({ id: courseId });
      expect(asStudent).toMatchObject({ role: "student", joinCode: null, studentCount: null });
      expect(await codeOf(callerFor(t, outsider).course.byId({ id: courseId }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, otherInstructor).course.byId({ id: courseId }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, null).course.byId({ id: courseId }))).toBe("UNAUTHORIZED");
      expect(await codeOf(callerFor(t, alice).course.byId({ id: "no-such-course" }))).toBe("NOT_FOUND");
      expect((await callerFor(t, alice).course.list()).map((c) => [c.title, c.role])).toEqual([["Distributed Systems", "student"]]);
      expect((await callerFor(t, outsider).course.list())).toEqual([]);
    });

    it("lets only the instructor change settings and staff; TAs and students are refused, outsiders find nothing", async () => {
      const update = (u: SessionUser | null) => callerFor(t, u).course.update({ id: courseId, title: "Distributed Systems", description: "Fall term" });
      expect(await codeOf(update(instructor))).toBe("OK");
      expect(await codeOf(update(ta))).toBe("FORBIDDEN");
      expect(await codeOf(update(alice))).toBe("FORBIDDEN");
      expect(await codeOf(update(outsider))).toBe("NOT_FOUND");
      expect(await codeOf(update(null))).toBe("UNAUTHORIZED");
      for (const u of [ta, alice]) {
        expect(await codeOf(callerFor(t, u).course.resetJoinCode({ id: courseId }))).toBe("FORBIDDEN");
        expect(await codeOf(callerFor(t, u).course.addTa({ id: courseId, email: outsider.email }))).toBe("FORBIDDEN");
        expect(await codeOf(callerFor(t, u).course.removeMember({ id: courseId, userId: bob.id }))).toBe("FORBIDDEN");
      }
      expect(await codeOf(callerFor(t, outsider).course.addTa({ id: courseId, email: outsider.email }))).toBe("NOT_FOUND");
      // Members are for staff.
      expect((await callerFor(t, ta).course.members({ id: courseId })).map((m) => m.role).sort()).toEqual(["instructor", "student", "student", "ta"]);
      expect(await codeOf(callerFor(t, alice).course.members({ id: courseId }))).toBe("FORBIDDEN");
      expect(await codeOf(callerFor(t, outsider).course.members({ id: courseId }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, instructor).course.addTa({ id: courseId, email: "nobody@nowhere.example" }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, instructor).course.removeMember({ id: courseId, userId: instructor.id }))).toBe("BAD_REQUEST");
    });

    it("joins with a code, keeps a member's role on rejoin, and refuses a wrong code; a reset code stops working", async () => {
      const carol = await makeUser(t.db, "Carol");
      expect(await codeOf(callerFor(t, carol).course.join({ code: "ZZZZZZZZ" }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, null).course.join({ code: joinCode }))).toBe("UNAUTHORIZED");
      expect(await callerFor(t, ta).course.join({ code: joinCode })).toMatchObject({ courseId, role: "ta" });
      const other = await callerFor(t, otherInstructor).course.create({ title: "Reset me" });
      const { joinCode: fresh } = await callerFor(t, otherInstructor).course.resetJoinCode({ id: other.id });
      expect(fresh).not.toBe(other.joinCode);
      expect(await codeOf(callerFor(t, carol).course.join({ code: other.joinCode }))).toBe("NOT_FOUND");
      // A join link's page previews the course without joining it.
      expect(await callerFor(t, carol).course.preview({ code: fresh })).toMatchObject({ courseId: other.id, title: "Reset me", role: null });
      expect(await codeOf(callerFor(t, carol).course.byId({ id: other.id }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, carol).course.preview({ code: other.joinCode }))).toBe("NOT_FOUND");
      expect(await callerFor(t, carol).course.join({ code: fresh })).toMatchObject({ courseId: other.id, role: "student" });
      expect(await callerFor(t, carol).course.preview({ code: fresh })).toMatchObject({ role: "student" });
      expect(await callerFor(t, otherInstructor).course.removeMember({ id: other.id, userId: carol.id })).toEqual({ removed: true });
      expect(await codeOf(callerFor(t, carol).course.byId({ id: other.id }))).toBe("NOT_FOUND");
    });
  });

  describe("assignments", () => {
    it("validates the instructor's input with field paths", async () => {
      const api = callerFor(t, instructor);
      const bad = breakItInput(courseId, {
        tests: [
          { name: "needs a check the starter lacks", points: 5, requirements: { check: "correct-responses" } },
          { name: "", points: -1, requirements: { check: "no-such-check" } },
        ],
        latePolicy: { kind: "penalty", percentPerDay: 150, cutoffDays: 2 },
      });
      const zodErr = await errorOf(api.assignment.create(bad));
      expect(zodErr.code).toBe("BAD_REQUEST");
      // The late policy is checked by the input schema; its path reaches the client.
      expect(JSON.stringify(zodErr.cause)).toContain("percentPerDay");
      const err = await errorOf(api.assignment.create({ ...bad, latePolicy: { kind: "none" } }));
      const issues = (err.cause as unknown as { issues: { path: string[]; message: string }[] }).issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      expect(issues).toContain('tests.0.requirements.check: the starter scenario has no "correct-responses" check; add it to its checks');
      expect(issues).toContain("tests.1.name: give the test a name");
      expect(issues).toContain("tests.1.points: points are 0 or more");
      expect(issues.some((i) => i.startsWith("tests.1.requirements.check: a check is one of"))).toBe(true);
      const fixErr = await errorOf(
        api.assignment.create(fixItInput(courseId, { tests: [{ name: "broken hidden", points: 1, scenario: HIDDEN.replace("to: C2", "to: C9").replace("server: C2", "server: C9"), requirements: { checks: ["latency"] } }] })),
      );
      const fixIssues = (fixErr.cause as unknown as { issues: { path: string[]; message: string }[] }).issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      expect(fixIssues.some((i) => i.startsWith("tests.0.scenario: workload[0].server") && i.includes("C9"))).toBe(true);
      expect(await codeOf(api.assignment.create({ ...breakItInput(courseId), starterSource: "version: 2" }))).toBe("BAD_REQUEST");
      // Only the instructor creates assignments.
      expect(await codeOf(callerFor(t, ta).assignment.create(breakItInput(courseId)))).toBe("FORBIDDEN");
      expect(await codeOf(callerFor(t, alice).assignment.create(breakItInput(courseId)))).toBe("FORBIDDEN");
      expect(await codeOf(callerFor(t, outsider).assignment.create(breakItInput(courseId)))).toBe("NOT_FOUND");
    });

    it("never hands a student a hidden grading scenario or hidden test names, through any procedure", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(fixItInput(courseId));
      const staffView = await callerFor(t, ta).assignment.byId({ id });
      expect(JSON.stringify(staffView)).toContain(HIDDEN_MARK);
      const asStudent = callerFor(t, alice);
      const view = await asStudent.assignment.byId({ id });
      expect(view.tests).toMatchObject({ maxPoints: 10, hidden: { count: 1, points: 5 }, all: null });
      expect(view.tests.visible).toEqual([{ name: "every request completes on every seed", points: 5, seeds: { from: 1, count: 20 }, requirements: { checks: ["all-complete"], minHeldShare: 1 } }]);
      const scenarioId = await scenarioWith(alice, id, FIX_STARTER.replace("retries: 0", "retries: 3"));
      const submission = await asStudent.assignment.submit({ assignmentId: id, scenarioId });
      await gradeQueued();
      const outputs = [
        view,
        await asStudent.course.byId({ id: courseId }),
        await asStudent.assignment.mySubmissions({ assignmentId: id }),
        await asStudent.assignment.forScenario({ scenarioId }),
        await asStudent.submission.byId({ id: submission.id }),
        await asStudent.run.byId({ id: submission.runId }),
        await asStudent.run.list({}),
        await asStudent.scenario.byId({ id: scenarioId }),
      ];
      for (const out of outputs) {
        const text = JSON.stringify(out);
        expect(text).not.toContain(HIDDEN_MARK);
        expect(text).not.toContain("hidden grading scenario");
        expect(text).not.toContain("cheap and complete");
      }
      const result = (await asStudent.submission.byId({ id: submission.id })).result!;
      expect(result.hidden).toMatchObject({ count: 1, maxPoints: 5 });
      expect(result.all).toBeNull();
      const staffResult = (await callerFor(t, ta).submission.byId({ id: submission.id })).result!;
      expect(staffResult.all?.map((x) => x.name)).toEqual(["every request completes on every seed", "cheap and complete"]);
    });

    it("keeps a failing hidden scenario's nodes, keys and failures from the student who owns the grading run", async () => {
      // The hidden system has its own names; a visible test that fails would describe its first
      // failure in them ("request #3 (Zeta7731a → Zeta7731b read zeta7731key) …").
      const secret = HIDDEN.replaceAll("C1", "Zeta7731a").replaceAll("C2", "Zeta7731b").replace("key: journal", "key: zeta7731key");
      const input = fixItInput(courseId, {
        tests: [{ name: "every request completes", points: 5, visible: true, seeds: { from: 1, count: 5 }, scenario: secret, requirements: { checks: ["all-complete"] } }],
      });
      const { id } = await callerFor(t, instructor).assignment.create(input);
      const api = callerFor(t, alice);
      const scenarioId = await scenarioWith(alice, id, FIX_STARTER);
      const ack = await api.assignment.submit({ assignmentId: id, scenarioId });
      await gradeQueued();
      const stored = JSON.parse((await t.db.run.findUniqueOrThrow({ where: { id: ack.runId }, select: { summary: true } })).summary!) as GradeSummary;
      // The stored result does carry the hidden failure (staff debug with it)…
      expect(JSON.stringify(stored)).toContain("Zeta7731");
      expect(stored.tests[0]).toMatchObject({ passed: false });
      // …and nothing the student can call returns it.
      for (const out of [await api.submission.byId({ id: ack.id }), await api.run.byId({ id: ack.runId }), await api.run.status({ id: ack.runId })]) {
        expect(JSON.stringify(out)).not.toMatch(/zeta7731/i);
      }
      const mine = await api.submission.byId({ id: ack.id });
      expect(mine.result!.visible[0]).toMatchObject({ passed: false, details: { heldSeeds: 0, seeds: { from: 1, count: 5 } } });
      expect(mine.result!.visible[0]!.message).toMatch(/^All-complete held on 0 of 5 seeds/);
      // Course staff see it on both pages; the grading run cannot be shared past them.
      expect(JSON.stringify(await callerFor(t, ta).run.byId({ id: ack.runId }))).toContain("Zeta7731");
      expect(JSON.stringify(await callerFor(t, instructor).submission.byId({ id: ack.id }))).toContain("Zeta7731");
      expect(await codeOf(api.run.setVisibility({ id: ack.runId, visibility: "public" }))).toBe("BAD_REQUEST");
      expect(await codeOf(api.run.setVisibility({ id: ack.runId, visibility: "unlisted" }))).toBe("BAD_REQUEST");
    });

    it("grades implement it by running the student's program in every grading scenario; a visible test's failing seeds open as runs, a hidden test's scenario never shows", async () => {
      const a = demoImplementIt(new Date(Date.now() + 7 * DAY_MS));
      const { id } = await callerFor(t, instructor).assignment.create({ ...a, courseId });
      const api = callerFor(t, alice);
      const view = await api.assignment.byId({ id });
      expect(view.tests.visible[0]).toMatchObject({ name: "loss and a partition" });
      expect((view.tests.visible[0] as { scenario?: string }).scenario).toContain("Broadcast under loss and a partition");
      expect(JSON.stringify(view)).not.toContain("Broadcast under loss and a crash");
      // Only the program's files may change.
      const scenarioId = await scenarioWith(alice, id);
      const { version } = await api.scenario.byId({ id: scenarioId });
      await api.scenario.saveVersion({ id: scenarioId, source: version.source.replace("loss: 0.05", "loss: 0") });
      const refused = await errorOf(api.assignment.submit({ assignmentId: id, scenarioId }));
      expect(refused.message).toMatch(/network.loss: differs from the starter; in an implement-it assignment you may change only the program's files/);
      // The starter's gossip passes each message on once: the visible test fails on some seeds.
      await api.scenario.saveVersion({ id: scenarioId, source: version.source });
      const ack = await api.assignment.submit({ assignmentId: id, scenarioId });
      await gradeQueued();
      const mine = await api.submission.byId({ id: ack.id });
      const visible = mine.result!.visible[0]!;
      expect(visible.passed).toBe(false);
      expect(visible.failingSeeds.length).toBeGreaterThan(0);
      expect(JSON.stringify(mine)).not.toContain("Broadcast under loss and a crash");
      // Opening a failing seed gives the student a run of the test's scenario with their program.
      const opened = await api.submission.openTestRun({ submissionId: ack.id, test: visible.index, seed: visible.failingSeeds[0]! });
      expect(opened.created).toBe(true);
      expect((await api.submission.openTestRun({ submissionId: ack.id, test: visible.index, seed: visible.failingSeeds[0]! })).id).toBe(opened.id);
      const run = await api.run.byId({ id: opened.id });
      expect(run.seed).toBe(visible.failingSeeds[0]);
      expect(run.scenario.name).toBe("Implement it: broadcast that loses nothing · loss and a partition");
      expect(run.version.source).toContain("kind: partition");
      expect(run.version.source).toContain("node.send(peer");
      // The hidden test cannot be opened, nor someone else's submission.
      expect(await codeOf(api.submission.openTestRun({ submissionId: ack.id, test: 1, seed: 100 }))).toBe("BAD_REQUEST");
      expect(await codeOf(callerFor(t, bob).submission.openTestRun({ submissionId: ack.id, test: 0, seed: 1 }))).toBe("NOT_FOUND");
    }, 180_000);

    it("starts a student's copy of the starter once, linked to the assignment", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId));
      const first = await callerFor(t, bob).assignment.start({ id });
      const again = await callerFor(t, bob).assignment.start({ id });
      expect(first.created).toBe(true);
      expect(again).toEqual({ scenarioId: first.scenarioId, created: false });
      expect((await callerFor(t, bob).scenario.byId({ id: first.scenarioId })).version.source).toBe(BREAK_STARTER);
      expect(await callerFor(t, bob).assignment.forScenario({ scenarioId: first.scenarioId })).toMatchObject({ id, canSubmit: true });
      expect(await callerFor(t, alice).assignment.forScenario({ scenarioId: first.scenarioId })).toBeNull();
      expect(await codeOf(callerFor(t, outsider).assignment.start({ id }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, outsider).assignment.byId({ id }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, null).assignment.byId({ id }))).toBe("UNAUTHORIZED");
    });
  });

  describe("submitting", () => {
    it("lets a break-it submission change only the faults, within the rules, and says where", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId));
      const api = callerFor(t, alice);
      const problemsOf = async (source: string) => {
        const scenarioId = await scenarioWith(alice, id);
        await api.scenario.saveVersion({ id: scenarioId, source });
        const err = await errorOf(api.assignment.submit({ assignmentId: id, scenarioId }));
        expect(err.code).toBe("BAD_REQUEST");
        return ((err.cause as unknown as { problems: { path: string; message: string }[] }).problems).map((p) => `${p.path}: ${p.message}`);
      };
      expect(await problemsOf(RESPONSE_LOST.replace("dedupe: false", "dedupe: true"))).toEqual([
        "protocol.server.dedupe: differs from the starter; in a break-it assignment you may change only the faults",
      ]);
      expect(await problemsOf(BREAK_STARTER.replace("faults: []", "faults:\n  - { kind: crash, node: C2, at: 5ms }"))).toEqual([
        'faults[0].kind: "crash" faults are not allowed here; use "drop", "duplicate"',
      ]);
      expect(await problemsOf(BREAK_STARTER.replace("faults: []", "faults:\n  - { kind: drop, match: { type: response, nth: 1 } }\n  - { kind: duplicate, match: { type: request } }"))).toEqual([
        "faults: 2 faults; this assignment allows at most 1",
      ]);
      expect(await problemsOf(BREAK_STARTER.replace("latency: 10ms", "latency: 20ms"))).toEqual([
        "network.latency.value: differs from the starter; in a break-it assignment you may change only the faults",
      ]);
      // Name and description may change.
      const ok = await scenarioWith(alice, id, RESPONSE_LOST.replace("name: response lost", "name: my attempt"));
      expect(await codeOf(api.assignment.submit({ assignmentId: id, scenarioId: ok }))).toBe("OK");
      // Staff do not submit; outsiders find nothing; someone else's scenario is not found.
      expect(await codeOf(callerFor(t, ta).assignment.submit({ assignmentId: id, scenarioId: ok }))).toBe("FORBIDDEN");
      expect(await codeOf(callerFor(t, outsider).assignment.submit({ assignmentId: id, scenarioId: ok }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, bob).assignment.submit({ assignmentId: id, scenarioId: ok }))).toBe("NOT_FOUND");
      expect(await codeOf(api.assignment.submit({ assignmentId: id, scenarioId: ok, version: 99 }))).toBe("NOT_FOUND");
    });

    it("lets a fix-it submission change only the protocol's parameters", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(fixItInput(courseId));
      const api = callerFor(t, bob);
      const scenarioId = await scenarioWith(bob, id, FIX_STARTER.replace("loss: 0.1", "loss: 0").replace("retries: 0", "retries: 5"));
      const err = await errorOf(api.assignment.submit({ assignmentId: id, scenarioId }));
      expect(((err.cause as unknown as { problems: { path: string; message: string }[] }).problems)).toEqual([
        { path: "network.loss", message: "differs from the starter; in a fix-it assignment you may change only the protocol's parameters" },
      ]);
      const good = await scenarioWith(bob, id, FIX_STARTER.replace("retries: 0", "retries: 5").replace("timeout: 500ms", "timeout: 300ms"));
      expect(await codeOf(api.assignment.submit({ assignmentId: id, scenarioId: good }))).toBe("OK");
    });

    it("acknowledges at once with the time, stored with its grading run in one go", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId));
      const scenarioId = await scenarioWith(alice, id, RESPONSE_LOST);
      const before = Date.now();
      const ack = await callerFor(t, alice).assignment.submit({ assignmentId: id, scenarioId });
      expect(ack.submittedAt.getTime()).toBeGreaterThanOrEqual(before - 5);
      expect(ack.submittedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5);
      const row = await t.db.submission.findUniqueOrThrow({ where: { id: ack.id }, select: { gradingRunId: true, versionNumber: true, submittedAt: true } });
      expect(row).toMatchObject({ gradingRunId: ack.runId, versionNumber: 2 });
      const run = await t.db.run.findUniqueOrThrow({ where: { id: ack.runId }, select: { kind: true, status: true, submissionId: true, ownerId: true } });
      expect(run).toEqual({ kind: "grade", status: "queued", submissionId: ack.id, ownerId: alice.id });
    });

    it("applies the late policy by the submission's time: penalty per started day, refusal past the cut-off or with no late work", async () => {
      const api = callerFor(t, instructor);
      const late = await api.assignment.create(breakItInput(courseId, { deadline: new Date(Date.now() - 1.5 * DAY_MS), latePolicy: { kind: "penalty", percentPerDay: 10, cutoffDays: 3 } }));
      const closed = await api.assignment.create(breakItInput(courseId, { deadline: new Date(Date.now() - 3.5 * DAY_MS), latePolicy: { kind: "penalty", percentPerDay: 10, cutoffDays: 3 } }));
      const strict = await api.assignment.create(breakItInput(courseId, { deadline: new Date(Date.now() - 60_000) }));
      const sid = await scenarioWith(bob, late.id, RESPONSE_LOST);
      const ack = await callerFor(t, bob).assignment.submit({ assignmentId: late.id, scenarioId: sid });
      expect(ack).toMatchObject({ daysLate: 2, penaltyPercent: 20 });
      const refusedLate = await errorOf(callerFor(t, bob).assignment.submit({ assignmentId: closed.id, scenarioId: await scenarioWith(bob, closed.id, RESPONSE_LOST) }));
      expect(refusedLate.code).toBe("FORBIDDEN");
      expect(refusedLate.message).toMatch(/^Late submissions closed at .* UTC \(3 days after the deadline\)\.$/);
      const refusedStrict = await errorOf(callerFor(t, bob).assignment.submit({ assignmentId: strict.id, scenarioId: await scenarioWith(bob, strict.id, RESPONSE_LOST) }));
      expect(refusedStrict.code).toBe("FORBIDDEN");
      expect(refusedStrict.message).toMatch(/has passed, and this assignment takes no late submissions/);
      await gradeQueued();
      const view = await callerFor(t, bob).submission.byId({ id: ack.id });
      // Full marks (10), less 2 days × 10%.
      expect(view.grade).toMatchObject({ status: "done", points: 10, maxPoints: 10, score: 8 });
      expect(view.late).toBe(true);
      const book = await callerFor(t, instructor).assignment.gradebook({ assignmentId: late.id });
      expect(book.rows.find((r) => r.student.id === bob.id)?.submission).toMatchObject({ late: true, daysLate: 2, grade: { score: 8 } });
    });

    it("limits submissions per hour per student and assignment, with a clear message", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId, { submissionsPerHour: 2 }));
      const scenarioId = await scenarioWith(alice, id, RESPONSE_LOST);
      const api = callerFor(t, alice);
      await api.assignment.submit({ assignmentId: id, scenarioId });
      await api.assignment.submit({ assignmentId: id, scenarioId });
      const err = await errorOf(api.assignment.submit({ assignmentId: id, scenarioId }));
      expect(err.code).toBe("TOO_MANY_REQUESTS");
      expect(err.message).toMatch(/^You have submitted 2 times in the last hour, the most this assignment allows\. You can submit again at .* UTC\.$/);
      // Another student is not affected.
      expect(await codeOf(callerFor(t, bob).assignment.submit({ assignmentId: id, scenarioId: await scenarioWith(bob, id, RESPONSE_LOST) }))).toBe("OK");
      expect(await t.db.submission.count({ where: { assignmentId: id, studentId: alice.id } })).toBe(2);
    });

    it("holds the hourly limit when submissions arrive at the same moment", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId, { submissionsPerHour: 2 }));
      const scenarioId = await scenarioWith(bob, id, RESPONSE_LOST);
      const api = callerFor(t, bob);
      const codes = await Promise.all(Array.from({ length: 6 }, () => codeOf(api.assignment.submit({ assignmentId: id, scenarioId }))));
      expect(codes.filter((c) => c === "OK")).toHaveLength(2);
      expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(4);
      expect(await t.db.submission.count({ where: { assignmentId: id, studentId: bob.id } })).toBe(2);
    });
  });

  describe("grading", () => {
    it("grades break it: no fault keeps at-most-once, the lost response breaks it on every seed", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId));
      const api = callerFor(t, alice);
      const sid = await scenarioWith(alice, id);
      const failing = await api.assignment.submit({ assignmentId: id, scenarioId: sid });
      await api.scenario.saveVersion({ id: sid, source: RESPONSE_LOST });
      const passing = await api.assignment.submit({ assignmentId: id, scenarioId: sid });
      expect(await gradeQueued()).toBeGreaterThanOrEqual(2);
      const a = await api.submission.byId({ id: failing.id });
      expect(a.grade).toMatchObject({ status: "done", points: 0, maxPoints: 10, score: 0 });
      expect(a.result!.visible).toEqual([
        expect.objectContaining({ name: "at-most-once fails on seed 1", passed: false, points: 0, maxPoints: 6, message: "at-most-once must fail on every seed; it failed on 0 of 1." }),
      ]);
      expect(a.result!.hidden).toEqual({ count: 1, passed: 0, points: 0, maxPoints: 4 });
      const b = await api.submission.byId({ id: passing.id });
      expect(b.grade).toMatchObject({ status: "done", points: 10, score: 10 });
      expect(b.result!.visible[0]).toMatchObject({ passed: true, details: { check: "at-most-once", failedSeeds: 1, failingSeeds: [1] } });
      expect(b.result!.hidden).toEqual({ count: 1, passed: 1, points: 4, maxPoints: 4 });
      const run = await t.db.run.findUniqueOrThrow({ where: { id: passing.runId }, select: { verdict: true, summary: true } });
      expect(run.verdict).toBe("pass");
      // The stored summary names no hidden test and carries no hidden details.
      const summary = JSON.parse(run.summary!) as GradeSummary;
      expect(summary.tests[1]).toEqual({ index: 1, visible: false, passed: true, points: 4, maxPoints: 4 });
      const history = await api.assignment.mySubmissions({ assignmentId: id });
      expect(history.map((h) => [h.versionNumber, h.grade.score])).toEqual([[2, 10], [1, 0]]);
    });

    it("grades fix it under the hidden scenario with the student's protocol: checks per seed, completion and cost summed over seeds", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(fixItInput(courseId));
      const api = callerFor(t, bob);
      // Retries 2: a request fails with probability 0.19³ ≈ 0.0069, so a seed of 100 requests
      // completes them all only about half the time, and 20 seeds all complete almost never;
      // yet ≈ 99.3% of requests complete (≥ 98%) at ≈ 1.9 × 1.23 ≈ 2.35 messages each (≤ 3).
      const few = await scenarioWith(bob, id, FIX_STARTER.replace("retries: 0", "retries: 2"));
      const weak = await api.assignment.submit({ assignmentId: id, scenarioId: few });
      // Retries 10: a request fails with probability 0.19¹¹ ≈ 1e-8: every seed completes.
      await api.scenario.saveVersion({ id: few, source: FIX_STARTER.replace("retries: 0", "retries: 10") });
      const strong = await api.assignment.submit({ assignmentId: id, scenarioId: few });
      await gradeQueued();
      const w = await api.submission.byId({ id: weak.id });
      expect(w.grade).toMatchObject({ points: 5, maxPoints: 10 });
      expect(w.result!.visible[0]).toMatchObject({ passed: false });
      expect(w.result!.hidden).toMatchObject({ passed: 1, points: 5 });
      const s = await api.submission.byId({ id: strong.id });
      expect(s.grade).toMatchObject({ points: 10, score: 10 });
      // The figures are the definitions' sums over every seed, recomputed here in-process.
      const test = ZFixItTest.parse(fixItInput(courseId).tests[1]);
      for (const [retries, sub] of [[2, w], [10, s]] as const) {
        const scenario = gradingScenario(test, parsed(FIX_STARTER.replace("retries: 0", `retries: ${retries}`)), parsed(HIDDEN));
        let issued = 0, succeeded = 0, sent = 0;
        for (let seed = 1; seed <= 20; seed++) {
          const m = runScenario(scenario, { seed, recordTrace: false }).summary.metrics;
          issued += m.requests.issued;
          succeeded += m.requests.succeeded;
          sent += m.messages.sent;
        }
        expect(issued).toBe(2000);
        const staffView = await callerFor(t, instructor).submission.byId({ id: sub.id });
        expect(staffView.isStaff).toBe(true);
        const summary = JSON.parse((await t.db.run.findUniqueOrThrow({ where: { id: sub.gradingRunId! }, select: { summary: true } })).summary!) as GradeSummary;
        expect(summary.tests[1]).toMatchObject({ passed: true });
        // Visible test details use the same sums (its checks differ, its requests do not).
        expect((summary.tests[0]!.details as { completionRate: number }).completionRate).toBeCloseTo(succeeded / issued, 12);
        expect((summary.tests[0]!.details as { messagesPerRequest: number }).messagesPerRequest).toBeCloseTo(sent / issued, 12);
        expect(sent / issued).toBeGreaterThan(2);
        expect(sent / issued).toBeLessThan(3);
      }
    });

    it("lets staff open any submission and its grading run; other students and outsiders find nothing", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId));
      const ack = await callerFor(t, alice).assignment.submit({ assignmentId: id, scenarioId: await scenarioWith(alice, id, RESPONSE_LOST) });
      for (const u of [instructor, ta]) {
        expect((await callerFor(t, u).submission.byId({ id: ack.id })).source).toBe(RESPONSE_LOST);
        expect((await callerFor(t, u).run.byId({ id: ack.runId })).version.source).toBe(RESPONSE_LOST);
        expect(await codeOf(callerFor(t, u).run.setVisibility({ id: ack.runId, visibility: "public" }))).toBe("NOT_FOUND");
      }
      for (const u of [bob, outsider, otherInstructor]) {
        expect(await codeOf(callerFor(t, u).submission.byId({ id: ack.id }))).toBe("NOT_FOUND");
        expect(await codeOf(callerFor(t, u).run.byId({ id: ack.runId }))).toBe("NOT_FOUND");
        expect(await codeOf(callerFor(t, u).run.status({ id: ack.runId }))).toBe("NOT_FOUND");
      }
      expect(await codeOf(callerFor(t, null).run.byId({ id: ack.runId }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, null).submission.byId({ id: ack.id }))).toBe("UNAUTHORIZED");
      expect(await codeOf(callerFor(t, bob).assignment.mySubmissions({ assignmentId: id }))).toBe("OK");
      expect(await callerFor(t, bob).assignment.mySubmissions({ assignmentId: id })).toEqual([]);
      expect(await codeOf(callerFor(t, outsider).assignment.mySubmissions({ assignmentId: id }))).toBe("NOT_FOUND");
    });
  });

  describe("gradebook", () => {
    it("lists every student with the latest or best submission, exports CSV, and regrades all after the tests change", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId));
      const sid = await scenarioWith(alice, id, RESPONSE_LOST);
      const best = await callerFor(t, alice).assignment.submit({ assignmentId: id, scenarioId: sid });
      await callerFor(t, alice).scenario.saveVersion({ id: sid, source: BREAK_STARTER });
      const latest = await callerFor(t, alice).assignment.submit({ assignmentId: id, scenarioId: sid });
      await gradeQueued();
      const byLatest = await callerFor(t, ta).assignment.gradebook({ assignmentId: id, mode: "latest" });
      expect(byLatest.rows.map((r) => r.student.name)).toEqual(["Alice", "Bob"]);
      expect(byLatest.rows[0]).toMatchObject({ submissionCount: 2, submission: { id: latest.id, grade: { score: 0 } } });
      expect(byLatest.rows[1]).toMatchObject({ submissionCount: 0, submission: null });
      const byBest = await callerFor(t, instructor).assignment.gradebook({ assignmentId: id, mode: "best" });
      expect(byBest.rows[0]!.submission).toMatchObject({ id: best.id, grade: { score: 10 } });
      expect(gradebookCsv(byBest.rows)).toBe(`Email,Name,Score,Submitted at\r\n${alice.email},Alice,10,${best.submittedAt.toISOString()}\r\n${bob.email},Bob,,\r\n`);
      expect(await codeOf(callerFor(t, alice).assignment.gradebook({ assignmentId: id }))).toBe("FORBIDDEN");
      expect(await codeOf(callerFor(t, outsider).assignment.gradebook({ assignmentId: id }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, otherInstructor).assignment.gradebook({ assignmentId: id }))).toBe("NOT_FOUND");

      // The instructor changes the tests: at-most-once must now merely fail on some seed, worth 20.
      const edited = { ...breakItInput(courseId), tests: [{ name: "fails somewhere", points: 20, requirements: { check: "at-most-once", failOn: "any" }, seeds: { from: 1, count: 3 } }] };
      const { courseId: _c, kind: _k, ...fields } = edited;
      expect(await callerFor(t, instructor).assignment.update({ id, ...fields })).toMatchObject({ testsVersion: 2, testsChanged: true });
      expect(await codeOf(callerFor(t, ta).assignment.update({ id, ...fields }))).toBe("FORBIDDEN");
      expect(await codeOf(callerFor(t, ta).assignment.regradeAll({ assignmentId: id }))).toBe("FORBIDDEN");
      expect(await codeOf(callerFor(t, alice).assignment.regradeAll({ assignmentId: id }))).toBe("FORBIDDEN");
      expect(await codeOf(callerFor(t, outsider).assignment.regradeAll({ assignmentId: id }))).toBe("NOT_FOUND");
      expect(await callerFor(t, instructor).assignment.regradeAll({ assignmentId: id })).toEqual({ queued: 2 });
      const pending = await callerFor(t, alice).submission.byId({ id: best.id });
      expect(pending.grade.status).toBe("queued");
      await gradeQueued();
      const regraded = await callerFor(t, alice).submission.byId({ id: best.id });
      expect(regraded.grade).toMatchObject({ status: "done", points: 20, maxPoints: 20 });
      expect(regraded.runs.map((r) => [r.latest, r.testsVersion, r.points])).toEqual([[true, 2, 20], [false, 1, 10]]);
    });
  });

  describe("demo data", () => {
    it("has a course with an assignment of each kind and one per built-in protocol, the demo student enrolled, and grades the examples' answers", async () => {
      expect(await seedDemo(t.db)).toEqual({ created: true });
      expect(await seedDemo(t.db)).toEqual({ created: false });
      const demo = await t.db.user.findUniqueOrThrow({ where: { email: DEMO_EMAIL }, select: { id: true, email: true, name: true } });
      const student = await t.db.user.findUniqueOrThrow({ where: { email: DEMO_STUDENT_EMAIL }, select: { id: true, email: true, name: true } });
      const courses = await callerFor(t, student).course.list();
      expect(courses).toHaveLength(1);
      expect(courses[0]).toMatchObject({ role: "student", assignmentCount: 8 });
      const course = await callerFor(t, demo).course.byId({ id: courses[0]!.id });
      expect(course.role).toBe("instructor");
      expect(course.assignments.map((a) => a.kind).sort()).toEqual(["break-it", "break-it", "break-it", "break-it", "break-it", "fix-it", "implement-it", "implement-it"]);
      // Each title starts with its kind ("Fix it: ..." is a fix-it): the Paxos fix-the-bug has students edit its program, an implement-it.
      const kindNames: Record<string, string> = { "break-it": "Break it", "fix-it": "Fix it", "implement-it": "Implement it" };
      for (const a of course.assignments) expect(a.title.split(":")[0], a.title).toBe(kindNames[a.kind]);
      expect(course.assignments.find((a) => /Paxos/.test(a.title))).toMatchObject({ kind: "implement-it", title: "Implement it: fix a Paxos proposer that forgets what was accepted" });
      const api = callerFor(t, student);
      // The Raft answer: the partitions of the paper's Figure 8 and a crash, as the raft example has them.
      const figure8 = exampleFaults("raft", 4);
      const answers: Record<string, (s: string) => string> = {
        "break-it": (s) => s.replace("faults: []", "faults:\n  - { kind: drop, match: { from: C2, to: C1, type: response, nth: 1 } }"),
        "fix-it": (s) => s.replace("retries: 0", "retries: 8"),
        // Pass each message on until the neighbour acknowledges it, and keep what arrived through a crash.
        "implement-it": (s) => setProgramFile(s, "gossip.js", DURABLE_GOSSIP),
        raft: (s) => s.replace("faults: []", `faults:\n${figure8}`),
        // The primary cut off from its backups while it acknowledges writes, then a backup's crash.
        primary: (s) => s.replace("faults: []", `faults:\n${exampleFaults("primary-backup", 2)}`),
        // A partition while messages are broadcast, and the sender's crash.
        relays: (s) => s.replace("faults: []", `faults:\n${exampleFaults("broadcast", 2)}`),
        // The coordinator and a participant crash, one after the other, twice (found by the random nemesis).
        "two-phase": (s) =>
          s.replace("faults: []", "faults:\n" + ["n1 at 1s", "n2 at 2s", "n1 at 3s", "n2 at 4s"].map((c) => `  - { kind: crash, node: ${c.split(" ")[0]}, at: ${c.split(" ")[2]}, restart: 10ms }`).join("\n")),
        // Propose the value an acceptor reported, when one did: Paxos's phase 2a.
        paxos: (s) => setProgramFile(s, "proposer.js", programFilesOf(s)!.files.find(([n]) => n === "proposer.js")![1].replace(/var value = p\.own !== null \? p\.own : forced;.*$/m, "var value = forced !== null ? forced : p.own;")),
      };
      const keyOf = (title: string, kind: string) => (/Raft/.test(title) ? "raft" : /primary/.test(title) ? "primary" : /relays/.test(title) ? "relays" : /two-phase/.test(title) ? "two-phase" : /Paxos/.test(title) ? "paxos" : kind);
      const acks = [];
      for (const a of course.assignments) {
        const { scenarioId } = await api.assignment.start({ id: a.id });
        const { version } = await api.scenario.byId({ id: scenarioId });
        const answer = answers[keyOf(a.title, a.kind)]!;
        await api.scenario.saveVersion({ id: scenarioId, source: answer(version.source) });
        acks.push(await api.assignment.submit({ assignmentId: a.id, scenarioId }));
      }
      await gradeQueued();
      for (const [i, ack] of acks.entries()) {
        expect({ assignment: course.assignments[i]!.title, grade: (await api.submission.byId({ id: ack.id })).grade }).toMatchObject({ assignment: course.assignments[i]!.title, grade: { status: "done", points: 10, maxPoints: 10 } });
      }
    }, 900_000);
  });
});
