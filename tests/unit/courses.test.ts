// Course arithmetic on its own: the late policy, points, CSV quoting, scenario differences,
// and how a test's requirements judge a sweep.
import { describe, expect, it } from "vitest";
import { applyPenalty, DAY_MS, judgeLateness } from "@/server/courses/late";
import { csvField, gradebookCsv } from "@/server/courses/views";
import { differences } from "@/server/courses/restrictions";
import { judgeBreakIt, judgeFixIt, gradeSummary } from "@/server/courses/grading";
import { ZBreakItTest, ZFixItTest } from "@/server/courses/definition";
import { normalizeJoinCode, newJoinCode } from "@/server/courses/access";
import { aggregateSweep, type RunSummary } from "@/server/sim";
import { raftBreakItStarter, withoutFaults } from "@/server/courses/examples";
import { demoPrimaryBackupBreakIt } from "@/server/courses/protocol-examples";

const deadline = new Date("2026-03-01T12:00:00Z");
const at = (ms: number) => new Date(deadline.getTime() + ms);
const penalty = { kind: "penalty" as const, percentPerDay: 15, cutoffDays: 3 };

describe("late policy", () => {
  it("is on time up to and including the deadline", () => {
    expect(judgeLateness(penalty, deadline, at(0))).toEqual({ accepted: true, daysLate: 0, penaltyPercent: 0 });
    expect(judgeLateness({ kind: "none" }, deadline, at(-1))).toEqual({ accepted: true, daysLate: 0, penaltyPercent: 0 });
  });

  it("counts every started day late, up to the cut-off, and refuses after it", () => {
    expect(judgeLateness(penalty, deadline, at(1))).toEqual({ accepted: true, daysLate: 1, penaltyPercent: 15 });
    expect(judgeLateness(penalty, deadline, at(DAY_MS))).toEqual({ accepted: true, daysLate: 1, penaltyPercent: 15 });
    expect(judgeLateness(penalty, deadline, at(DAY_MS + 1))).toEqual({ accepted: true, daysLate: 2, penaltyPercent: 30 });
    expect(judgeLateness(penalty, deadline, at(3 * DAY_MS))).toEqual({ accepted: true, daysLate: 3, penaltyPercent: 45 });
    expect(judgeLateness(penalty, deadline, at(3 * DAY_MS + 1))).toMatchObject({ accepted: false, reason: "Late submissions closed at 2026-03-04 12:00 UTC (3 days after the deadline)." });
    expect(judgeLateness({ kind: "none" }, deadline, at(1))).toMatchObject({ accepted: false, reason: "The deadline (2026-03-01 12:00 UTC) has passed, and this assignment takes no late submissions." });
  });

  it("never takes more than everything", () => {
    expect(judgeLateness({ kind: "penalty", percentPerDay: 40, cutoffDays: 5 }, deadline, at(4 * DAY_MS))).toMatchObject({ penaltyPercent: 100 });
    expect(applyPenalty(7.5, 20)).toBe(6);
    expect(applyPenalty(10, 100)).toBe(0);
    expect(applyPenalty(3, 33.333)).toBe(2);
  });
});

describe("gradebook CSV", () => {
  it("quotes fields with commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('Ada "the Countess", Lovelace')).toBe('"Ada ""the Countess"", Lovelace"');
    // A name a spreadsheet would execute stays text.
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField(-3)).toBe("-3");
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(8.5)).toBe("8.5");
  });

  it("writes one row per student, empty score when ungraded", () => {
    const submittedAt = new Date("2026-03-01T10:00:00Z");
    const csv = gradebookCsv([
      { student: { id: "1", name: "Lovelace, Ada", email: "ada@example.org" }, submissionCount: 1, submission: { id: "s", submittedAt, versionNumber: 1, daysLate: 0, penaltyPercent: 0, late: false, grade: { status: "done", points: 9, maxPoints: 10, score: 9, error: null } } },
      { student: { id: "2", name: "Bob", email: "bob@example.org" }, submissionCount: 1, submission: { id: "t", submittedAt, versionNumber: 1, daysLate: 0, penaltyPercent: 0, late: false, grade: { status: "queued", points: null, maxPoints: null, score: null, error: null } } },
      { student: { id: "3", name: "Cy", email: "cy@example.org" }, submissionCount: 0, submission: null },
    ]);
    expect(csv).toBe('Email,Name,Score,Submitted at\r\nada@example.org,"Lovelace, Ada",9,2026-03-01T10:00:00.000Z\r\nbob@example.org,Bob,,2026-03-01T10:00:00.000Z\r\ncy@example.org,Cy,,\r\n');
  });
});

describe("scenario differences", () => {
  it("names the differing fields in the format's words", () => {
    expect(differences({ protocol: { client: { timeoutUs: 1 } } }, { protocol: { client: { timeoutUs: 2 } } })).toEqual(["protocol.client.timeout"]);
    expect(differences({ nodes: [{ id: "a" }] }, { nodes: [{ id: "a" }, { id: "b" }] })).toEqual(["nodes"]);
    expect(differences({ faults: [{ kind: "drop" }] }, { faults: [{ kind: "crash" }] })).toEqual(["faults[0].kind"]);
    expect(differences({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe("join codes", () => {
  it("are 8 unambiguous characters and read back however they are typed", () => {
    const code = newJoinCode();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(normalizeJoinCode(` ${code.toLowerCase().slice(0, 4)}-${code.slice(4)} `)).toBe(code);
  });
});

function summary(seed: number, checks: Record<string, boolean>, m: { issued: number; succeeded: number; sent: number }): RunSummary {
  return {
    scenario: "s", seed, engine: "t", stoppedBy: "idle", virtualTimeMs: 1, events: 1, traceDigest: null, ok: Object.values(checks).every(Boolean), traceEvents: 1,
    checks: Object.entries(checks).map(([name, ok]) => ({ name, ok, ...(ok ? {} : { message: `${name} failed` }) })) as RunSummary["checks"],
    metrics: {
      messages: { sent: m.sent, delivered: m.sent, dropped: 0, duplicated: 0 },
      requests: { issued: m.issued, succeeded: m.succeeded, failed: m.issued - m.succeeded, attempts: m.issued },
      calls: { issued: 0, succeeded: 0, failed: 0, attempts: 0 },
      executions: m.succeeded,
      latencyMs: { mean: 1, p50: 1, p90: 1, p99: 1, max: 1 },
    } as RunSummary["metrics"],
  };
}

describe("judging a test", () => {
  const sweep = aggregateSweep([
    summary(1, { "at-most-once": false }, { issued: 100, succeeded: 100, sent: 250 }),
    summary(2, { "at-most-once": true }, { issued: 100, succeeded: 99, sent: 230 }),
    summary(3, { "at-most-once": false }, { issued: 100, succeeded: 98, sent: 320 }),
  ]);

  it("break it: fails on every seed, or on any", () => {
    const every = ZBreakItTest.parse({ name: "e", points: 3, seeds: { from: 1, count: 3 }, requirements: { check: "at-most-once" } });
    const any = ZBreakItTest.parse({ name: "a", points: 3, seeds: { from: 1, count: 3 }, requirements: { check: "at-most-once", failOn: "any" } });
    expect(judgeBreakIt(every, sweep)).toMatchObject({ passed: false, message: "at-most-once must fail on every seed; it failed on 2 of 3.", details: { failedSeeds: 2, failingSeeds: [1, 3] } });
    expect(judgeBreakIt(any, sweep)).toMatchObject({ passed: true, message: "at-most-once failed on 2 of 3 seeds: you broke it." });
  });

  it("fix it: held share per seed, completion and messages summed over seeds", () => {
    const test = (r: Record<string, unknown>) => ZFixItTest.parse({ name: "f", points: 5, seeds: { from: 1, count: 3 }, scenario: "x", requirements: { checks: ["at-most-once"], ...r } });
    // 1 of 3 seeds held; 297 / 300 completed; 800 / 300 messages per request.
    expect(judgeFixIt(test({}), sweep).details).toMatchObject({ heldSeeds: 1, heldShare: 1 / 3, completionRate: 0.99, messagesPerRequest: 800 / 300 });
    expect(judgeFixIt(test({ minHeldShare: 0.3, minCompletionRate: 0.99, maxMessagesPerRequest: 2.7 }), sweep).passed).toBe(true);
    const failed = judgeFixIt(test({ minHeldShare: 0.5, minCompletionRate: 0.995, maxMessagesPerRequest: 2.5 }), sweep);
    expect(failed.passed).toBe(false);
    expect(failed.message).toBe("At-most-once held on 1 of 3 seeds; at least 50% of them must hold; 99% of requests completed; at least 99.5% must; 2.67 messages per request; at most 2.5 allowed.");
  });

  it("scores the sum of the passed tests' points and keeps hidden tests nameless", () => {
    const tests = [
      ZBreakItTest.parse({ name: "shown", points: 2.5, requirements: { check: "at-most-once" } }),
      ZBreakItTest.parse({ name: "secret", points: 4, visible: false, requirements: { check: "at-most-once" } }),
      ZBreakItTest.parse({ name: "another", points: 1, requirements: { check: "at-most-once" } }),
    ];
    const r = (passed: boolean) => ({ passed, message: "m", details: judgeBreakIt(tests[0]!, sweep).details });
    const s = gradeSummary("break-it", 3, tests, [r(true), r(true), r(false)]);
    expect(s).toMatchObject({ points: 6.5, maxPoints: 7.5, passedTests: 2, totalTests: 3, testsVersion: 3 });
    expect(s.tests[1]).toEqual({ index: 1, visible: false, passed: true, points: 4, maxPoints: 4 });
    expect(JSON.stringify(s)).not.toContain("secret");
  });
});

describe("example assignments", () => {
  it("start from a protocol's example with its faults emptied, everything else as it was", () => {
    const source = "name: x\nfaults:\n  - { kind: crash, node: n1, at: 1s }\n  - { kind: pause, node: n2, from: 2s, until: 3s }\nchecks: [a, b]\n";
    expect(withoutFaults(source)).toBe("name: x\nfaults: []\nchecks: [a, b]\n");
    expect(() => withoutFaults("name: x\nfaults: []\n")).toThrow(/no faults list/);
    for (const starter of [raftBreakItStarter(), demoPrimaryBackupBreakIt(new Date(0)).starterSource]) {
      expect(starter).toContain("faults: []\n");
      expect(starter).not.toMatch(/^ {2}- \{ kind:/m);
    }
  });
});
