// A run the service cut short says so (app/_components/results/stop-reason.ts, grading
// messages): the simulator's "traceLimit" stop reads as the trace limit, with its value,
// wherever a stop reason is shown; reasons the page does not know are shown as they are.
import { describe, expect, it } from "vitest";
import { stopCounts, stopReason } from "@/app/_components/results/stop-reason";
import { describeEvent } from "@/app/_components/results/describe";
import { judgeFixIt } from "@/server/courses/grading";
import { ZFixItTest } from "@/server/courses/definition";
import { SERVICE_LIMITS } from "@/server/scenarios/validate";
import { aggregateSweep, type RunSummary, type SweepSummary, type TraceEvent } from "@/server/sim";

const LIMIT = SERVICE_LIMITS.maxTraceRecords.toLocaleString("en-US");

describe("stop reasons", () => {
  it("name the trace limit and its value when a run reached it, and stay quiet when it ran to its end", () => {
    expect(stopReason("traceLimit").short).toBe("trace limit reached");
    expect(stopReason("traceLimit").early).toContain(`${LIMIT} records`);
    for (const r of ["idle", "until", "maxEvents"]) expect(stopReason(r).early).toBeNull();
    expect(stopReason("somethingNew").short).toBe("somethingNew");
  });

  it("count every reason a sweep reports", () => {
    expect(stopCounts({ idle: 7, until: 1, maxEvents: 0, traceLimit: 2 })).toBe("idle 7, time limit 1, step limit 0, trace limit 2");
  });

  it("describe the stop event in words", () => {
    expect(describeEvent({ kind: "stop", stoppedBy: "traceLimit" } as unknown as TraceEvent)).toMatch(/trace limit reached/);
  });

  it("tell a student when grading seeds stopped at the trace limit", () => {
    const seed = (s: number): RunSummary =>
      ({
        scenario: "s", seed: s, engine: "t", stoppedBy: "idle", virtualTimeMs: 1, events: 1, traceDigest: null, ok: true, traceEvents: 1,
        checks: [{ name: "all-complete", ok: true }],
        metrics: { messages: { sent: 2, delivered: 2, dropped: 0, duplicated: 0 }, requests: { issued: 1, succeeded: 1, failed: 0, attempts: 1 }, calls: { issued: 0, succeeded: 0, failed: 0, attempts: 0 }, executions: 1, latencyMs: { mean: 1, p50: 1, p90: 1, p99: 1, max: 1 } },
      }) as unknown as RunSummary;
    const sweep = aggregateSweep([seed(1), seed(2), seed(3)]);
    const cut = { ...sweep, stoppedBy: { ...sweep.stoppedBy, idle: 1, traceLimit: 2 } } as SweepSummary;
    const test = ZFixItTest.parse({ name: "f", points: 1, seeds: { from: 1, count: 3 }, scenario: "x", requirements: { checks: ["all-complete"] } });
    expect(judgeFixIt(test, sweep).message).toBe("Every requirement met over 3 seeds.");
    expect(judgeFixIt(test, cut).message).toBe(`Every requirement met over 3 seeds (2 of 3 seeds stopped at the trace limit of ${LIMIT} records; the checks judged their events up to there).`);
  });
});
