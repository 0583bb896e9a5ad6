// The slide's scenarios (../shared/scenarios) each do what their description says.

import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario } from "@/server/sim";
import { eventsOfKind, run, schedule, SHARED_SCENARIOS, sharedScenario } from "./helpers";

const check = (s: { checks: { name: string; ok: boolean }[] }, name: string) => s.checks.find((c) => c.name === name)!;

describe("../shared/scenarios", () => {
  it("all nine parse", () => {
    const files = fs.readdirSync(SHARED_SCENARIOS).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) expect(() => sharedScenario(f)).not.toThrow();
  });

  it("01 request lost: the first request never arrives; the resend completes; both checks hold", () => {
    const { summary, trace } = run(sharedScenario("01-request-lost.yaml"));
    expect(eventsOfKind(trace, "drop").map((e) => [e.timeUs, e.messageType, e.reason])).toEqual([[0, "request", "fault"]]);
    expect(summary.metrics.latencyMs.max).toBe(121);
    expect(summary.ok).toBe(true);
  });

  it("02 request slow: C1 asks again at 100 ms; the late first request is executed too, so at-most-once fails", () => {
    const { summary, trace } = run(sharedScenario("02-request-slow.yaml"));
    // First request arrives at 10 + 250 = 260, executed at 261; the resend arrives at 110, executed at 111.
    expect(eventsOfKind(trace, "execute").map((e) => [e.timeUs / 1000, e.attempt])).toEqual([
      [111, 2],
      [261, 1],
    ]);
    expect(check(summary, "all-complete").ok).toBe(true);
    const amo = summary.checks.find((c) => c.name === "at-most-once")!;
    expect(amo.ok).toBe(false);
    expect(amo.witness!.map((i) => trace.event(i).kind)).toEqual(["execute", "execute"]);
    // The first response arrives after the request was answered: ignored.
    expect(eventsOfKind(trace, "ignore").map((e) => e.timeUs / 1000)).toEqual([271]);
  });

  it("03 server crash: C1 cannot tell a crash from a slow server, and gets its answer after the restart", () => {
    const { summary, trace } = run(sharedScenario("03-server-crash.yaml"));
    expect(schedule(trace, ["crash", "restart"])).toEqual(["50 C2 crash", "1000 C2 restart"]);
    expect(summary.metrics.messages.droppedBy.receiverDown).toBe(4);
    expect(check(summary, "all-complete").ok).toBe(true);
  });

  it("04 server slow: the slow single-threaded server queues the retries too", () => {
    const { summary, trace } = run(sharedScenario("04-server-slow.yaml"));
    const enqueued = eventsOfKind(trace, "enqueue");
    expect(enqueued.length).toBeGreaterThan(0);
    expect(enqueued.some((e) => (e.attempt ?? 1) > 1)).toBe(true);
    // Processing started inside the slow window takes 10 x 5 ms.
    expect(eventsOfKind(trace, "process").filter((e) => e.timeUs < 2_000_000).every((e) => e.durationUs === 50_000)).toBe(true);
    expect(summary.metrics.requests.attempts).toBeGreaterThan(summary.metrics.requests.issued);
    expect(check(summary, "all-complete").ok).toBe(false);
  });

  it("05 response lost: the write happens twice without dedupe; at-most-once names both executions", () => {
    const s = sharedScenario("05-response-lost.yaml");
    const { summary, trace } = run(s);
    expect(summary.metrics.executions).toBe(2);
    const amo = summary.checks.find((c) => c.name === "at-most-once")!;
    expect(amo.ok).toBe(false);
    expect(amo.message).toContain("executed twice");
    const witness = amo.witness!.map((i) => trace.event(i));
    expect(witness.map((e) => [e.kind, e.node, e.timeUs / 1000, e.request])).toEqual([
      ["execute", "C2", 11, 0],
      ["execute", "C2", 111, 0],
    ]);
    // With dedupe the repeat is answered from the table: at-most-once holds.
    const p = s.protocol;
    if (p.kind !== "request-response") throw new Error("request-response expected");
    const deduped = runScenario({ ...s, protocol: { ...p, server: { ...p.server, dedupe: true } } });
    expect(deduped.summary.metrics.executions).toBe(1);
    expect(check(deduped.summary, "at-most-once").ok).toBe(true);
    expect(check(deduped.summary, "all-complete").ok).toBe(true);
  });

  it("06 response slow: the first response arrives after the resend was answered and is ignored", () => {
    const { summary, trace } = run(sharedScenario("06-response-slow.yaml"));
    // Response to attempt 1 leaves at 11, delayed 300 ms: arrives at 321, after the accept at 121.
    expect(eventsOfKind(trace, "accept").map((e) => [e.timeUs / 1000, e.attempt])).toEqual([[121, 2]]);
    expect(eventsOfKind(trace, "ignore").map((e) => [e.timeUs / 1000, e.attempt, e.reason])).toEqual([[321, 1, "late"]]);
    expect(eventsOfKind(trace, "dedupe-hit").length).toBe(1);
    expect(summary.ok).toBe(true);
  });

  it("07 byzantine lie: every answer carries a value C2 never stored; correct-responses fails", () => {
    const { summary, trace } = run(sharedScenario("07-byzantine-lie.yaml"));
    const accepted = eventsOfKind(trace, "accept");
    expect(accepted).toHaveLength(4);
    for (const e of accepted) {
      expect(e.byzantine).toBe("lie");
      expect(e.value).not.toBe(e.trueValue);
    }
    expect(accepted.slice(1).map((e) => e.trueValue)).toEqual(["dear diary", "dear diary", "dear diary"]);
    const cr = check(summary, "correct-responses") as { ok: boolean; witness?: number[] };
    expect(cr.ok).toBe(false);
    expect(trace.event(cr.witness![0]!).kind).toBe("respond");
    expect(trace.event(cr.witness![1]!).kind).toBe("accept");
    expect(check(summary, "all-complete").ok).toBe(true);
  });

  it("08 unknown computer: after C3 crashes at 1.5 s, C1's requests fail and all-complete fails", () => {
    const { summary, trace } = run(sharedScenario("08-unknown-computer.yaml"));
    // Requests at 0 s and 1 s succeed; those at 2, 3 and 4 s fail.
    const workloadAccepts = eventsOfKind(trace, "accept").filter((e) => e.node === "C1");
    expect(workloadAccepts.map((e) => e.timeUs / 1000)).toEqual([42, 1042]);
    const failed = eventsOfKind(trace, "fail").filter((e) => e.node === "C1");
    expect(failed.every((e) => e.timeUs > 1_500_000)).toBe(true);
    expect(summary.metrics.requests).toMatchObject({ issued: 5, succeeded: 2, failed: 3 });
    expect(eventsOfKind(trace, "abandon").length).toBeGreaterThan(0);
    expect(check(summary, "all-complete").ok).toBe(false);
  });

  it("09 lossy network: about (1 - 0.19^3)^100 of seeds complete every request", () => {
    const s = sharedScenario("09-lossy-network-sweep.yaml");
    let held = 0;
    const n = 200;
    for (let seed = 1; seed <= n; seed++) {
      if (runScenario(s, { seed, recordTrace: false }).summary.checks[0]!.ok) held++;
    }
    // Per request: an attempt fails when the request or the response is lost: 1 - 0.9^2 = 0.19;
    // three attempts all fail with 0.19^3; a seed holds when all 100 requests succeed.
    const p = Math.pow(1 - Math.pow(0.19, 3), 100);
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(held - n * p)).toBeLessThan(4 * sd);
  });
});
