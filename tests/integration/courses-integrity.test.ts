// Courses, issue 12: work for an assignment stays within the course staff until the instructor
// allows sharing; a failing visible test opens as a stored run, and the grading run's page carries
// the grade; the course gradebook and its Canvas and Gradescope CSVs, column by column; drafts,
// reference checks and the student preview.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { PROVIDERS, callerFor, codeOf, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { sharedScenario } from "../helpers/scenarios";
import type { SessionUser } from "@/server/auth/options";
import { claimRun, finishRun } from "@/server/worker/queue";
import { simulateRun } from "@/server/worker/simulate";
import { gradeRun } from "@/server/courses/grading";
import { canvasCsv, gradescopeCsv } from "@/server/courses/gradebook";

const DAY_MS = 24 * 60 * 60 * 1000;
/** One of the hidden test's seeds written as a number (not inside an id such as "cmx1uhiz1000oq…"). */
const HIDDEN_SEED = /(?<![\w.])100[0-4](?![\w.])/;
const HIDDEN_MARK = "QX-5521";
const RESPONSE_LOST = sharedScenario("05-response-lost.yaml");
const BREAK_STARTER = RESPONSE_LOST.replace(/faults:\n( {2}- .*\n)+/, "faults: []\n");

const LOSSY = sharedScenario("09-lossy-network-sweep.yaml");
const FIX_STARTER = LOSSY.replace("retries: 2", "retries: 0");
const HIDDEN_LOSSY = LOSSY.replace("name: lossy network, three tries", `name: hidden lossy ${HIDDEN_MARK}`).replace("loss: 0.1", "loss: 0.25");

function breakItInput(courseId: string, extra: Record<string, unknown> = {}) {
  return {
    courseId,
    kind: "break-it" as const,
    title: "Break it: write twice",
    starterSource: BREAK_STARTER,
    deadline: new Date(Date.now() + 7 * DAY_MS),
    rules: { maxFaults: 1 },
    tests: [
      { name: "at-most-once fails on seeds 1 to 3", points: 6, visible: true, seeds: { from: 1, count: 3 }, requirements: { check: "at-most-once" } },
      { name: `secret ${HIDDEN_MARK}`, points: 4, visible: false, seeds: { from: 1000, count: 5 }, requirements: { check: "at-most-once" } },
    ],
    ...extra,
  };
}

async function errorOf(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) return err;
    throw err;
  }
  throw new Error("expected an error");
}

/** Reads a CSV (RFC 4180: quoted fields may hold commas and doubled quotes), line by line. */
function csvRows(csv: string): string[][] {
  expect(csv.endsWith("\r\n")).toBe(true);
  return csv.slice(0, -2).split("\r\n").map((line) => {
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") {
        fields.push(field);
        field = "";
      }
      else field += ch;
    }
    fields.push(field);
    return fields;
  });
}

describe.each(PROVIDERS)("courses: integrity, grading links, gradebook on %s", (provider) => {
  let t: TestDb;
  let instructor: SessionUser, ta: SessionUser, alice: SessionUser, bob: SessionUser, outsider: SessionUser;
  let courseId: string;

  /** Works the queue as a worker would (grading runs and single runs alike). */
  async function work(): Promise<number> {
    let n = 0;
    for (let c = await claimRun(t.db, "test-worker", 60_000); c; c = await claimRun(t.db, "test-worker", 60_000)) {
      const opts = { deadlineMs: 60_000, signal: new AbortController().signal, onProgress: () => undefined, sweepThreads: 1 };
      const outcome = c.kind === "grade" ? await gradeRun(c, { ...opts, db: t.db }) : await simulateRun(c, opts);
      expect(await finishRun(t.db, c.id, c.attempt, outcome)).toBe(true);
      n++;
    }
    return n;
  }

  beforeAll(async () => {
    t = await createTestDb(provider);
    instructor = await makeUser(t.db, "Ines Instructor");
    ta = await makeUser(t.db, "Tara TA");
    alice = await makeUser(t.db, "Alice Able");
    bob = await makeUser(t.db, "Bob, Jr.");
    outsider = await makeUser(t.db, "Olga Outsider");
    const course = await callerFor(t, instructor).course.create({ title: "Distributed Systems" });
    courseId = course.id;
    await callerFor(t, instructor).course.addTa({ id: courseId, email: ta.email });
    await callerFor(t, alice).course.join({ code: course.joinCode });
    await callerFor(t, bob).course.join({ code: course.joinCode });
  });
  afterAll(async () => t.drop());

  describe("academic integrity", () => {
    it("keeps a working copy, its runs and forks private to the student and the staff until the instructor allows sharing", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId));
      const a = callerFor(t, alice);
      const { scenarioId } = await a.assignment.start({ id });
      // Sharing is refused with the reason, for the scenario and for a run of it.
      const err = await errorOf(a.scenario.setVisibility({ id: scenarioId, visibility: "public" }));
      expect(err.code).toBe("FORBIDDEN");
      expect(err.message).toContain("your work for “Break it: write twice” (Distributed Systems)");
      expect(err.message).toContain("until the instructor allows sharing");
      expect(await codeOf(a.scenario.setVisibility({ id: scenarioId, visibility: "unlisted" }))).toBe("FORBIDDEN");
      expect(await codeOf(a.scenario.setVisibility({ id: scenarioId, visibility: "private" }))).toBe("OK");
      const run = await a.run.create({ scenarioId });
      expect(await codeOf(a.run.setVisibility({ id: run.id, visibility: "public" }))).toBe("FORBIDDEN");
      // The owner's pages say why, beside the disabled controls.
      expect((await a.scenario.byId({ id: scenarioId })).sharingLocked).toContain("cannot be made public or unlisted");
      expect((await a.run.byId({ id: run.id })).sharingLocked).toContain("cannot be made public or unlisted");
      // Forking one's own work does not unlock it.
      const fork = await a.scenario.fork({ id: scenarioId });
      expect(await codeOf(a.scenario.setVisibility({ id: fork.id, visibility: "public" }))).toBe("FORBIDDEN");
      // A classmate cannot read or fork it; the staff read it.
      expect(await codeOf(callerFor(t, bob).scenario.byId({ id: scenarioId }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, bob).scenario.fork({ id: scenarioId }))).toBe("NOT_FOUND");
      expect((await callerFor(t, ta).scenario.byId({ id: scenarioId })).isOwner).toBe(false);
      expect(await codeOf(callerFor(t, ta).run.byId({ id: run.id }))).toBe("OK");
      expect(await codeOf(callerFor(t, outsider).scenario.byId({ id: scenarioId }))).toBe("NOT_FOUND");

      // The instructor allows sharing now: the same calls succeed, and it is in the gallery.
      const current = await callerFor(t, instructor).assignment.byId({ id });
      expect(current.sharing).toBe("never");
      await callerFor(t, instructor).assignment.update({ id, ...breakItInput(courseId), sharing: "now" });
      expect(await codeOf(a.scenario.setVisibility({ id: scenarioId, visibility: "public" }))).toBe("OK");
      expect((await a.scenario.byId({ id: scenarioId })).sharingLocked).toBeNull();
      expect((await callerFor(t, null).scenario.gallery({ pageSize: 50 })).items.map((s) => s.id)).toContain(scenarioId);
      expect(await codeOf(callerFor(t, bob).scenario.fork({ id: scenarioId }))).toBe("OK");

      // Locked again: the public copy leaves the gallery and classmates' reach at once.
      await callerFor(t, instructor).assignment.update({ id, ...breakItInput(courseId), sharing: "never" });
      expect((await callerFor(t, null).scenario.gallery({ pageSize: 50 })).items.map((s) => s.id)).not.toContain(scenarioId);
      expect(await codeOf(callerFor(t, bob).scenario.byId({ id: scenarioId }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, null).scenario.byId({ id: scenarioId }))).toBe("NOT_FOUND");
    });

    it("ties whatever is submitted to the assignment, and opens it after the last accepted submission when so set", async () => {
      const late = { kind: "penalty" as const, percentPerDay: 10, cutoffDays: 2 };
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId, { sharing: "after-deadline", latePolicy: late }));
      const b = callerFor(t, bob);
      // A scenario of Bob's own, public before he submits it.
      const own = await b.scenario.create({ source: BREAK_STARTER });
      await b.scenario.setVisibility({ id: own.id, visibility: "public" });
      expect(await codeOf(callerFor(t, alice).scenario.byId({ id: own.id }))).toBe("OK");
      await b.assignment.submit({ assignmentId: id, scenarioId: own.id });
      expect(await codeOf(callerFor(t, alice).scenario.byId({ id: own.id }))).toBe("NOT_FOUND");
      expect((await callerFor(t, null).scenario.gallery({ pageSize: 50 })).items.map((s) => s.id)).not.toContain(own.id);
      const reason = (await b.scenario.byId({ id: own.id })).sharingLocked!;
      // Deadline + 2 days of late work, in UTC.
      const deadline = (await b.assignment.byId({ id })).deadline;
      const opens = new Date(new Date(deadline).getTime() + 2 * DAY_MS).toISOString().slice(0, 16).replace("T", " ");
      expect(reason).toContain(`until ${opens} UTC`);
      // Past the cut-off, it is shareable.
      await callerFor(t, instructor).assignment.update({ id, ...breakItInput(courseId), sharing: "after-deadline", latePolicy: late, deadline: new Date(Date.now() - 3 * DAY_MS) });
      expect((await b.scenario.byId({ id: own.id })).sharingLocked).toBeNull();
      expect(await codeOf(callerFor(t, alice).scenario.byId({ id: own.id }))).toBe("OK");
    });
  });

  describe("debuggable grading", () => {
    it("opens a failing visible test's seed as a stored run for the student and the staff; the grading run's page carries the grade; hidden tests stay counts", async () => {
      const { id } = await callerFor(t, instructor).assignment.create(breakItInput(courseId));
      const a = callerFor(t, alice);
      const { scenarioId } = await a.assignment.start({ id });
      // The starter unchanged: at-most-once holds, so the visible test fails on seeds 1 to 3.
      const ack = await a.assignment.submit({ assignmentId: id, scenarioId });
      await work();
      const mine = await a.submission.byId({ id: ack.id });
      const visible = mine.result!.visible[0]!;
      expect(visible).toMatchObject({ passed: false, points: 0, maxPoints: 6, failingSeeds: [1, 2, 3] });
      expect(mine.result!.hidden).toEqual({ count: 1, passed: 0, points: 0, maxPoints: 4 });

      // The grading run's own page: the grade test by test, hidden tests only as counts.
      const gradingRun = await a.run.byId({ id: ack.runId });
      expect(gradingRun.grading).toMatchObject({ points: 0, maxPoints: 10, passedTests: 0, totalTests: 2, all: null, assignmentKind: "break-it" });
      expect(gradingRun.grading!.visible.map((t) => t.name)).toEqual(["at-most-once fails on seeds 1 to 3"]);
      expect(JSON.stringify(gradingRun)).not.toContain(HIDDEN_MARK);
      // The hidden test's seeds (1000-1004) appear nowhere as numbers (ids are random text that may hold the digits).
      expect(JSON.stringify(gradingRun)).not.toMatch(HIDDEN_SEED);
      const staffView = await callerFor(t, ta).run.byId({ id: ack.runId });
      expect(staffView.grading!.all!.map((t) => t.name)).toEqual(["at-most-once fails on seeds 1 to 3", `secret ${HIDDEN_MARK}`]);

      // The failing seed opens as a real single run: simulated, with its trace stored.
      const opened = await a.submission.openTestRun({ submissionId: ack.id, test: 0, seed: 2 });
      await work();
      const run = await a.run.byId({ id: opened.id });
      expect(run).toMatchObject({ kind: "single", seed: 2, status: "done", isOwner: true });
      expect(run.eventCount).toBeGreaterThan(0);
      expect(await t.db.runTrace.count({ where: { runId: opened.id } })).toBe(1);
      expect((run.summary as { checks: { name: string; ok: boolean }[] }).checks.find((c) => c.name === "at-most-once")).toMatchObject({ ok: true });
      // Staff open it too, as a run of their own; a classmate cannot.
      const forStaff = await callerFor(t, ta).submission.openTestRun({ submissionId: ack.id, test: 0, seed: 2 });
      expect(forStaff.id).not.toBe(opened.id);
      expect(await codeOf(callerFor(t, bob).submission.openTestRun({ submissionId: ack.id, test: 0, seed: 2 }))).toBe("NOT_FOUND");
      // Hidden tests never open, for the student.
      const hiddenErr = await errorOf(a.submission.openTestRun({ submissionId: ack.id, test: 1, seed: 1 }));
      expect(hiddenErr.code).toBe("BAD_REQUEST");
      expect(hiddenErr.message).not.toMatch(HIDDEN_SEED);
      await work();
    }, 120_000);
  });

  describe("debuggable grading, fix it", () => {
    it("lets staff, not the student, open a failing seed of a fix-it test: the hidden scenario with the student's protocol", async () => {
      const { id } = await callerFor(t, instructor).assignment.create({
        courseId, kind: "fix-it", title: "Fix it: lossy", starterSource: FIX_STARTER, deadline: new Date(Date.now() + 7 * DAY_MS),
        tests: [{ name: "all complete", points: 5, visible: true, seeds: { from: 1, count: 5 }, scenario: HIDDEN_LOSSY, requirements: { checks: ["all-complete"] } }],
      });
      const a = callerFor(t, alice);
      const { scenarioId } = await a.assignment.start({ id });
      const ack = await a.assignment.submit({ assignmentId: id, scenarioId });
      await work();
      const staffView = await callerFor(t, ta).submission.byId({ id: ack.id });
      const failing = staffView.result!.visible[0]!;
      expect(failing.passed).toBe(false);
      expect(failing.failingSeeds.length).toBeGreaterThan(0);
      // The student sees figures only, and cannot open the hidden scenario's runs.
      const mine = await a.submission.byId({ id: ack.id });
      expect(mine.result!.visible[0]!.failingSeeds).toEqual([]);
      expect(await codeOf(a.submission.openTestRun({ submissionId: ack.id, test: 0, seed: failing.failingSeeds[0]! }))).toBe("BAD_REQUEST");
      const opened = await callerFor(t, ta).submission.openTestRun({ submissionId: ack.id, test: 0, seed: failing.failingSeeds[0]! });
      await work();
      const run = await callerFor(t, ta).run.byId({ id: opened.id });
      expect(run).toMatchObject({ status: "done", verdict: "fail", kind: "single", seed: failing.failingSeeds[0] });
      // The hidden system (its loss), the student's parameters, named after the test.
      expect(run.version.source).toContain('name: "Fix it: lossy · all complete"');
      expect(run.version.source).toContain("retries: 0");
      expect(run.version.source).toContain("loss: 0.25");
      expect(await codeOf(a.run.byId({ id: opened.id }))).toBe("NOT_FOUND");
    }, 120_000);
  });

  describe("gradebook", () => {
    it("shows every student against every assignment with points possible, raw score and late penalty, and exports Canvas and Gradescope CSVs column by column", async () => {
      const c2 = await callerFor(t, instructor).course.create({ title: "Gradebook course" });
      const [i, al, bo] = [callerFor(t, instructor), callerFor(t, alice), callerFor(t, bob)];
      await al.course.join({ code: c2.joinCode });
      await bo.course.join({ code: c2.joinCode });
      const onTime = await i.assignment.create(breakItInput(c2.id, { title: "A1, the first" }));
      const late = await i.assignment.create(breakItInput(c2.id, { title: "A2", deadline: new Date(Date.now() - 1.5 * DAY_MS), latePolicy: { kind: "penalty", percentPerDay: 10, cutoffDays: 3 } }));
      await i.assignment.create(breakItInput(c2.id, { title: "A3 draft", draft: true }));
      const DROP = "faults:\n  - { kind: drop, match: { from: C2, to: C1, type: response, nth: 1 } }\n";
      const answer = BREAK_STARTER.replace("faults: []\n", DROP);
      for (const aid of [onTime.id, late.id]) {
        const { scenarioId } = await al.assignment.start({ id: aid });
        await al.scenario.saveVersion({ id: scenarioId, source: answer });
        await al.assignment.submit({ assignmentId: aid, scenarioId });
      }
      await work();
      await i.course.setRoster({ id: c2.id, userId: alice.id, sisUserId: "S-001", section: "Lab 2" });
      await i.course.setRoster({ id: c2.id, userId: bob.id, sisUserId: "=cmd()", section: "" });
      expect(await codeOf(al.course.setRoster({ id: c2.id, userId: alice.id, sisUserId: "S-999", section: "" }))).toBe("FORBIDDEN");
      expect(await codeOf(i.course.setRoster({ id: c2.id, userId: instructor.id, sisUserId: "x", section: "" }))).toBe("NOT_FOUND");

      const book = await i.course.gradebook({ id: c2.id });
      expect(book.columns.map((c) => [c.title, c.maxPoints])).toEqual([["A2", 10], ["A1, the first", 10]]);
      const aliceRow = book.rows.find((r) => r.student.id === alice.id)!;
      const [a2, a1] = aliceRow.cells;
      const hiddenFails = a1!.raw; // the hidden seeds decide the last 4 points
      expect(hiddenFails).toBeGreaterThanOrEqual(6);
      expect(a2).toMatchObject({ status: "done", penaltyPercent: 20, daysLate: 2, raw: hiddenFails, score: Math.round(hiddenFails! * 0.8 * 100) / 100 });
      expect(a1).toMatchObject({ status: "done", penaltyPercent: 0, score: hiddenFails });

      const canvas = csvRows(canvasCsv(book));
      expect(canvas[0]).toEqual(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "A2", "A1, the first"]);
      expect(canvas[1]).toEqual(["Points Possible", "", "", "", "", "10", "10"]);
      // Rows by name: Alice Able, then "Bob, Jr." (quoted for its comma); a formula is defused.
      expect(canvas[2]).toEqual(["Alice Able", "", "S-001", alice.email, "Lab 2", String(a2!.score), String(a1!.score)]);
      expect(canvas[3]).toEqual(["Bob, Jr.", "", "'=cmd()", bob.email, "", "", ""]);
      expect(canvas).toHaveLength(4);
      const gradescope = csvRows(gradescopeCsv(book));
      expect(gradescope[0]).toEqual(["Name", "SID", "Email", "A2", "A1, the first"]);
      expect(gradescope[1]).toEqual(["Alice Able", "S-001", alice.email, String(a2!.score), String(a1!.score)]);
      expect(gradescope[2]).toEqual(["Bob, Jr.", "'=cmd()", bob.email, "", ""]);
      expect(gradescope).toHaveLength(3);

      // Students see only their own scores, on the course page; never the gradebook.
      const asAlice = await al.course.byId({ id: c2.id });
      expect(asAlice.myScores![late.id]).toMatchObject({ raw: hiddenFails, penaltyPercent: 20, score: a2!.score });
      expect(asAlice.assignments.map((x) => x.title)).toEqual(["A2", "A1, the first"]);
      expect((await bo.course.byId({ id: c2.id })).myScores![onTime.id]).toMatchObject({ status: "none", score: null });
      expect(await codeOf(al.course.gradebook({ id: c2.id }))).toBe("FORBIDDEN");
      expect(await codeOf(callerFor(t, outsider).course.gradebook({ id: c2.id }))).toBe("NOT_FOUND");
    }, 120_000);
  });

  describe("authoring", () => {
    it("keeps a draft from students, checks the tests against a reference solution, and previews the student's view", async () => {
      const i = callerFor(t, instructor);
      const { id } = await i.assignment.create(breakItInput(courseId, { title: "Draft break", draft: true }));
      expect(await codeOf(callerFor(t, alice).assignment.byId({ id }))).toBe("NOT_FOUND");
      expect(await codeOf(callerFor(t, alice).assignment.start({ id }))).toBe("NOT_FOUND");
      expect((await callerFor(t, alice).course.byId({ id: courseId })).assignments.map((x) => x.id)).not.toContain(id);
      expect((await i.course.byId({ id: courseId })).assignments.find((x) => x.id === id)).toMatchObject({ draft: true });

      // A reference that breaks the rules is refused at its field.
      const wrong = await i.scenario.create({ source: RESPONSE_LOST.replace("dedupe: false", "dedupe: true") });
      const err = await errorOf(i.assignment.checkReference({ assignmentId: id, scenarioId: wrong.id }));
      expect(err.message).toContain("protocol.server.dedupe");
      // A good one passes every test; the result lists each test, hidden ones by name for staff.
      const DUPLICATE_ALL = "faults:\n  - { kind: drop, match: { from: C2, to: C1, type: response } }\n";
      const good = await i.scenario.create({ source: BREAK_STARTER.replace("faults: []\n", DUPLICATE_ALL) });
      expect(await codeOf(callerFor(t, alice).assignment.checkReference({ assignmentId: id, scenarioId: good.id }))).toBe("NOT_FOUND");
      const check = await i.assignment.checkReference({ assignmentId: id, scenarioId: good.id });
      await work();
      const [latest] = await i.assignment.referenceChecks({ assignmentId: id });
      expect(latest!.id).toBe(check.id);
      expect(latest!.tests!.map((x) => [x.name, x.passed])).toEqual([["at-most-once fails on seeds 1 to 3", true], [`secret ${HIDDEN_MARK}`, true]]);
      expect(latest!.grade).toMatchObject({ status: "done", points: 10, maxPoints: 10 });
      expect(await codeOf(callerFor(t, alice).assignment.referenceChecks({ assignmentId: id }))).toBe("NOT_FOUND");
      // Never in a gradebook.
      expect((await i.assignment.gradebook({ assignmentId: id })).rows.every((r) => r.submission === null)).toBe(true);

      // Preview as a student: the student's projection, nothing staff-only.
      const preview = await callerFor(t, ta).assignment.byId({ id, asStudent: true });
      expect(preview).toMatchObject({ preview: true, isStaff: false, tests: { all: null, hidden: { count: 1, points: 4 } } });
      expect(JSON.stringify(preview)).not.toContain(HIDDEN_MARK);
      // Students cannot ask for it, and gain nothing by trying.
      expect(await codeOf(i.assignment.publish({ id }))).toBe("OK");
      expect(await callerFor(t, alice).assignment.byId({ id, asStudent: true })).toMatchObject({ preview: false, isStaff: false });
      expect(await codeOf(callerFor(t, ta).assignment.publish({ id }))).toBe("FORBIDDEN");
    }, 120_000);
  });
});
