// Exact timings of constant-latency schedules, computed by hand from the spec's timing rules.

import { describe, expect, it } from "vitest";
import { ENGINE_VERSION } from "@/server/sim";
import { eventsOfKind, run, schedule } from "./helpers";

const journal = `
version: 1
name: journal plz
description: C1 asks C2 for a journal entry. The first request is lost.
seed: 7
until: 10s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 2 }
  server: { processing: 1ms, dedupe: true }
workload:
  - { client: C1, server: C2, op: read, key: journal, count: 1 }
faults:
  - { kind: drop, match: { from: C1, to: C2, type: request, nth: 1 } }
checks:
  - all-complete
  - at-most-once
`;

describe("the spec's journal example (seed 7)", () => {
  const { summary, trace } = run(journal);

  it("follows the schedule the spec describes", () => {
    // C1 sends at 0 ms, the request is dropped, the timer fires at 100 ms, C1 resends,
    // C2 receives at 110 ms, processes until 111 ms, C1 receives the response at 121 ms.
    expect(schedule(trace)).toEqual([
      "0 C1 issue",
      "0 C1 send",
      "0 C1 drop",
      "100 C1 timeout",
      "100 C1 resend",
      "110 C2 deliver",
      "110 C2 process",
      "111 C2 execute",
      "111 C2 respond",
      "121 C1 deliver",
      "121 C1 accept",
      "121 - stop",
    ]);
    expect(trace.event(2).reason).toBe("fault");
    expect(trace.event(2).fault).toBe(0);
  });

  it("has the spec's summary figures", () => {
    expect(summary.seed).toBe(7);
    expect(summary.engine).toBe(ENGINE_VERSION);
    expect(summary.stoppedBy).toBe("idle");
    expect(summary.virtualTimeMs).toBe(121);
    expect(summary.events).toBe(5);
    expect(summary.traceDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(summary.metrics.messages).toMatchObject({ sent: 3, delivered: 2, dropped: 1, duplicated: 0 });
    expect(summary.metrics.requests).toMatchObject({ issued: 1, succeeded: 1, failed: 0, attempts: 2 });
    expect(summary.metrics.executions).toBe(1);
    expect(summary.metrics.latencyMs).toEqual({ mean: 121, p50: 121, p90: 121, p99: 121, max: 121 });
    expect(summary.checks).toEqual([
      { name: "all-complete", ok: true },
      { name: "at-most-once", ok: true },
    ]);
  });
});

function twoNodes(client: string, faults: string, extra = "") {
  return `
version: 1
name: t
until: 60s
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol:
  kind: request-response
  client: ${client}
  server: { processing: 0ms }
workload:
  - { client: C1, server: C2, op: read, key: k, count: 1 }
faults: ${faults}
checks: [all-complete]
${extra}`;
}

describe("backoff", () => {
  it("constant: each resend waits base after the timeout", () => {
    // send 0 (dropped), timeout 100, wait 50, resend 150 (dropped), timeout 250, wait 50,
    // resend 300, arrives 310, answered 310, accepted 320.
    const { summary, trace } = run(
      twoNodes(
        "{ timeout: 100ms, retries: 3, backoff: { kind: constant, base: 50ms } }",
        "[{ kind: drop, match: { type: request, nth: 1 } }, { kind: drop, match: { type: request, nth: 2 } }]",
      ),
    );
    expect(schedule(trace, ["send", "resend", "timeout", "backoff", "accept"])).toEqual([
      "0 C1 send",
      "100 C1 timeout",
      "100 C1 backoff",
      "150 C1 resend",
      "250 C1 timeout",
      "250 C1 backoff",
      "300 C1 resend",
      "320 C1 accept",
    ]);
    expect(summary.metrics.latencyMs.max).toBe(320);
    expect(summary.metrics.requests.attempts).toBe(3);
  });

  it("exponential: base * 2^(k-1) for the k-th resend, capped at max", () => {
    // waits 50, 100, then 200 capped to 120: resends at 150, 350, 570; accepted at 590.
    const { summary, trace } = run(
      twoNodes(
        "{ timeout: 100ms, retries: 3, backoff: { kind: exponential, base: 50ms, max: 120ms } }",
        "[{ kind: drop, match: { type: request, nth: 1 } }, { kind: drop, match: { type: request, nth: 2 } }, { kind: drop, match: { type: request, nth: 3 } }]",
      ),
    );
    expect(schedule(trace, ["send", "resend", "accept"])).toEqual(["0 C1 send", "150 C1 resend", "350 C1 resend", "570 C1 resend", "590 C1 accept"]);
    expect(eventsOfKind(trace, "backoff").map((e) => e.durationUs)).toEqual([50_000, 100_000, 120_000]);
    expect(summary.metrics.latencyMs.max).toBe(590);
  });

  it("without backoff the resend happens the moment the timer fires; the last timeout fails the request", () => {
    const { summary, trace } = run(twoNodes("{ timeout: 100ms, retries: 1 }", "[{ kind: drop, match: { type: request } }]"));
    expect(schedule(trace, ["send", "resend", "timeout", "fail"])).toEqual([
      "0 C1 send",
      "100 C1 timeout",
      "100 C1 resend",
      "200 C1 timeout",
      "200 C1 fail",
    ]);
    expect(summary.metrics.requests).toMatchObject({ issued: 1, succeeded: 0, failed: 1, attempts: 2 });
    expect(summary.checks[0]).toMatchObject({ name: "all-complete", ok: false });
    expect(summary.virtualTimeMs).toBe(200);
  });
});

describe("server concurrency 1 queues in FIFO order", () => {
  it("three requests at once finish 10 ms apart", () => {
    // All three arrive at 10 ms. The first is processed 10-20, the second waits and runs 20-30,
    // the third 30-40; responses arrive 10 ms later: latencies 30, 40, 50.
    const { summary, trace } = run(`
version: 1
name: q
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol:
  kind: request-response
  client: { timeout: 1s }
  server: { processing: 10ms, concurrency: 1 }
workload:
  - { client: C1, server: C2, op: read, key: k, count: 3 }
`);
    expect(eventsOfKind(trace, "enqueue").map((e) => [e.timeUs / 1000, e.request, e.queueLength])).toEqual([
      [10, 1, 1],
      [10, 2, 2],
    ]);
    expect(eventsOfKind(trace, "process").map((e) => [e.timeUs / 1000, e.request])).toEqual([
      [10, 0],
      [20, 1],
      [30, 2],
    ]);
    expect(eventsOfKind(trace, "accept").map((e) => e.timeUs / 1000)).toEqual([30, 40, 50]);
    // Nearest rank over [30, 40, 50]: p50 is the 2nd, p90 and p99 the 3rd.
    expect(summary.metrics.latencyMs).toEqual({ mean: 40, p50: 40, p90: 50, p99: 50, max: 50 });
  });

  it("slow multiplies the processing time drawn at the start by the factor active then", () => {
    const { trace } = run(`
version: 1
name: slow
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 10s }, server: { processing: 5ms, concurrency: 1 } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 2, interval: 100ms }]
faults: [{ kind: slow, node: C2, factor: 10, until: 50ms }]
`);
    // Request 0 starts at 10 (slow active): 50 ms. Request 1 starts at 110 (slow over): 5 ms.
    expect(eventsOfKind(trace, "process").map((e) => e.durationUs)).toEqual([50_000, 5_000]);
    expect(eventsOfKind(trace, "accept").map((e) => e.timeUs / 1000)).toEqual([70, 125]);
  });
});

describe("crash and restart", () => {
  it("C2 crashes at 50 ms mid-processing and comes back at 1 s (scenario 03 by hand)", () => {
    const { summary, trace } = run(`
version: 1
name: crash
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol:
  kind: request-response
  client: { timeout: 200ms, retries: 5 }
  server: { processing: 100ms, dedupe: true }
workload: [{ client: C1, server: C2, op: read, key: journal, count: 1 }]
faults: [{ kind: crash, node: C2, at: 50ms, restart: 950ms }]
checks: [all-complete]
`);
    // Processing 10-110 is cut by the crash at 50. Resends at 200, 400, 600, 800 arrive while C2 is
    // down (lost: receiver down). At 1000 the restart (scheduled first) precedes the timer's resend,
    // which arrives at 1010, is processed until 1110, and is accepted at 1120.
    expect(schedule(trace, ["crash", "restart", "drop", "execute", "accept"])).toEqual([
      "50 C2 crash",
      "210 C2 drop",
      "410 C2 drop",
      "610 C2 drop",
      "810 C2 drop",
      "1000 C2 restart",
      "1110 C2 execute",
      "1120 C1 accept",
    ]);
    expect(eventsOfKind(trace, "drop").every((e) => e.reason === "receiver-down" && e.fault === 0)).toBe(true);
    expect(summary.metrics.messages).toMatchObject({ sent: 7, delivered: 3, dropped: 4 });
    expect(summary.metrics.requests.attempts).toBe(6);
    expect(summary.metrics.latencyMs.max).toBe(1120);
    expect(summary.checks[0]!.ok).toBe(true);
  });

  it("a crashed client abandons its waiting requests (failed) and issues none while down", () => {
    const { summary, trace } = run(`
version: 1
name: client crash
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s }, server: { processing: 100ms } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 4, interval: 100ms }]
faults: [{ kind: crash, node: C1, at: 50ms, restart: 200ms }]
checks: [all-complete]
`);
    // Request 0 (sent at 0) is abandoned at 50. Requests due at 100 and 200 are not issued (C1 is
    // down until 250). The one due at 300 is issued, answered at 300+10+100+10 = 420.
    expect(summary.metrics.requests).toMatchObject({ issued: 2, succeeded: 1, failed: 1 });
    expect(eventsOfKind(trace, "fail").map((e) => [e.timeUs / 1000, e.reason])).toEqual([[50, "client-crashed"]]);
    expect(eventsOfKind(trace, "issue").map((e) => e.timeUs / 1000)).toEqual([0, 300]);
    // The response to the abandoned request reaches C1 at 120, while it is still down: lost.
    expect(eventsOfKind(trace, "drop").map((e) => [e.timeUs / 1000, e.node, e.reason])).toEqual([[120, "C1", "receiver-down"]]);
    expect(summary.checks[0]).toMatchObject({ ok: false });
    expect(summary.checks[0]!.message).toContain("abandoned when C1 crashed");
  });

  it("without durable, the dedupe table is lost in a crash; with durable it survives", () => {
    const text = (durable: boolean) => `
version: 1
name: durable
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 1 }, server: { processing: 1ms, dedupe: true, durable: ${durable} } }
workload: [{ client: C1, server: C2, op: write, key: k, value: v, count: 1 }]
faults:
  - { kind: drop, match: { type: response, nth: 1 } }
  - { kind: crash, node: C2, at: 50ms, restart: 10ms }
checks: [at-most-once]
`;
    // Executed at 11, response lost, C2 crashes at 50 and is back at 60; the resend at 100 arrives at 110.
    const volatile = run(text(false));
    expect(volatile.summary.metrics.executions).toBe(2);
    expect(volatile.summary.checks[0]!.ok).toBe(false);
    const durable = run(text(true));
    expect(durable.summary.metrics.executions).toBe(1);
    expect(eventsOfKind(durable.trace, "dedupe-hit").map((e) => e.timeUs / 1000)).toEqual([111]);
    expect(durable.summary.checks[0]!.ok).toBe(true);
  });
});

describe("clock faults govern the node's timers and timestamps", () => {
  const text = (clock: string) => `
version: 1
name: clock
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 1 } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
faults:
  - { kind: drop, match: { type: request, nth: 1 } }
  - ${clock}
`;

  it("a clock running twice as fast fires a 100 ms timer after 50 ms of true time", () => {
    const { summary, trace } = run(text("{ kind: clock, node: C1, offset: 5s, drift: 1 }"));
    const timeout = eventsOfKind(trace, "timeout")[0]!;
    expect(timeout.timeUs).toBe(50_000);
    // local = t + offset + drift * (t - from) = 50 ms + 5 s + 50 ms
    expect(timeout.localTimeUs).toBe(5_100_000);
    // Metrics use true time: resend at 50, accepted at 70.
    expect(summary.metrics.latencyMs.max).toBe(70);
    // C2's clock is fine: no local timestamps on its events.
    expect(eventsOfKind(trace, "execute")[0]!.localTimeUs).toBeUndefined();
  });

  it("a slow clock (drift -0.5) stretches the timer to 200 ms; an offset alone changes no timer", () => {
    expect(eventsOfKind(run(text("{ kind: clock, node: C1, drift: -0.5 }")).trace, "timeout")[0]!.timeUs).toBe(200_000);
    const offsetOnly = run(text("{ kind: clock, node: C1, offset: -30ms }")).trace;
    const t = eventsOfKind(offsetOnly, "timeout")[0]!;
    expect(t.timeUs).toBe(100_000);
    expect(t.localTimeUs).toBe(70_000);
  });

  it("a node's own clock field applies for the whole run", () => {
    const { trace } = run(`
version: 1
name: node clock
nodes: [{ id: C1, clock: { drift: 3 } }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 1 } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
faults: [{ kind: drop, match: { type: request, nth: 1 } }]
`);
    expect(eventsOfKind(trace, "timeout")[0]!.timeUs).toBe(25_000);
  });
});

describe("downstream calls", () => {
  it("C2 calls C3 before answering: receive, call, then process, execute, answer", () => {
    const { summary, trace } = run(`
version: 1
name: calls
nodes: [{ id: C1 }, { id: C2 }, { id: C3 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s }, server: { processing: 1ms, calls: { C2: [C3] } } }
workload: [{ client: C1, server: C2, op: write, key: journal, value: hello, count: 1 }]
checks: [all-complete, at-most-once]
`);
    // C1 -> C2 at 10; C2 -> C3 at 10, C3 receives 20, processes until 21, answers; C2 accepts at 31,
    // processes 31-32, answers; C1 accepts at 42.
    expect(schedule(trace, ["deliver", "execute", "accept"])).toEqual([
      "10 C2 deliver",
      "20 C3 deliver",
      "21 C3 execute",
      "31 C2 deliver",
      "31 C2 accept",
      "32 C2 execute",
      "42 C1 deliver",
      "42 C1 accept",
    ]);
    const call = eventsOfKind(trace, "issue")[1]!;
    expect(call).toMatchObject({ node: "C2", from: "C2", to: "C3", op: "write", key: "journal", value: "hello", parentRequest: 0 });
    expect(summary.metrics.requests).toMatchObject({ issued: 1, succeeded: 1, attempts: 1 });
    expect(summary.metrics.calls).toMatchObject({ issued: 1, succeeded: 1, attempts: 1 });
    // executions counts the workload request's execution only (C2), not C3's downstream one.
    expect(summary.metrics.executions).toBe(1);
    expect(summary.metrics.messages.sent).toBe(4);
    expect(summary.metrics.latencyMs.max).toBe(42);
  });

  it("calls to several nodes go one after another", () => {
    const { trace } = run(`
version: 1
name: calls2
nodes: [{ id: C1 }, { id: C2 }, { id: C3 }, { id: C4 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s }, server: { calls: { C2: [C3, C4] } } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
`);
    expect(schedule(trace, ["accept"])).toEqual(["30 C2 accept", "50 C2 accept", "60 C1 accept"]);
  });
});

describe("network", () => {
  it("a per-link override applies to one direction only", () => {
    const { trace } = run(`
version: 1
name: links
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms, links: [{ from: C2, to: C1, latency: 100ms }] }
protocol: { kind: request-response, client: { timeout: 1s } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
`);
    expect(schedule(trace, ["deliver"])).toEqual(["10 C2 deliver", "110 C1 deliver"]);
  });

  it("a duplicated message is delivered twice; the repeat is answered again and the second answer ignored", () => {
    const { summary, trace } = run(`
version: 1
name: dup
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
faults: [{ kind: duplicate, match: { type: request } }]
checks: [at-most-once]
`);
    expect(summary.metrics.messages).toMatchObject({ sent: 3, duplicated: 1, delivered: 4, dropped: 0 });
    expect(eventsOfKind(trace, "ignore").map((e) => e.reason)).toEqual(["late"]);
    expect(summary.metrics.executions).toBe(2);
    expect(summary.checks[0]!.ok).toBe(false);
  });

  it("a partition loses messages between groups while active, and nothing after it heals", () => {
    const { summary, trace } = run(`
version: 1
name: part
nodes: [{ id: C1 }, { id: C2 }, { id: C3 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 3 } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
faults: [{ kind: partition, groups: [[C1, C3], [C2]], until: 150ms }]
`);
    expect(eventsOfKind(trace, "drop").map((e) => [e.timeUs / 1000, e.reason, e.fault])).toEqual([
      [0, "partition", 0],
      [100, "partition", 0],
    ]);
    expect(summary.metrics.latencyMs.max).toBe(220);
  });

  it("a delay applies to both copies of a duplicated message", () => {
    const { trace } = run(`
version: 1
name: delay dup
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
faults:
  - { kind: delay, match: { type: request }, by: 50ms }
  - { kind: duplicate, match: { type: request } }
`);
    expect(schedule(trace, ["deliver"]).slice(0, 2)).toEqual(["60 C2 deliver", "60 C2 deliver"]);
  });
});

describe("stopping", () => {
  it("events at exactly `until` happen; the next one after it stops the run", () => {
    const { summary, trace } = run(`
version: 1
name: until
until: 1s
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 5s } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 2, interval: 1s }]
`);
    expect(summary.stoppedBy).toBe("until");
    expect(summary.virtualTimeMs).toBe(1000);
    expect(eventsOfKind(trace, "issue").map((e) => e.timeUs)).toEqual([0, 1_000_000]);
    expect(summary.metrics.messages.inFlight).toBe(1);
    expect(summary.metrics.requests.pending).toBe(1);
    expect(summary.checks).toEqual([]);
  });

  it("stops after maxEvents processed events", () => {
    const { summary } = run(`
version: 1
name: max
maxEvents: 25
nodes: [{ id: A }, { id: B }]
protocol: { kind: request-response }
workload: [{ clients: all, op: read, key: k }]
`);
    expect(summary.stoppedBy).toBe("maxEvents");
    expect(summary.events).toBe(25);
  });
});

describe("byzantine behaviors", () => {
  const text = (behavior: string, clients = "[{ client: C1, server: C2, op: write, key: k, value: v1, count: 1 }, { client: C3, server: C2, op: read, key: k, count: 1, start: 100ms }, { client: C1, server: C2, op: read, key: k, count: 1, start: 200ms }]") => `
version: 1
name: byz
nodes: [{ id: C1 }, { id: C2 }, { id: C3 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s } }
workload: ${clients}
faults: [{ kind: byzantine, node: C2, behavior: ${behavior} }]
checks: [all-complete, correct-responses]
`;
  const answers = (behavior: string) => eventsOfKind(run(text(behavior)).trace, "accept").map((e) => [e.to, e.value, e.trueValue]);

  it("equivocate: the first client hears the truth, another client a different story", () => {
    expect(answers("equivocate")).toEqual([
      ["C1", "ok", "ok"],
      ["C3", "v1 (as told to C3)", "v1"],
      ["C1", "v1", "v1"],
    ]);
  });

  it("replay: answers with the previous response it sent", () => {
    expect(answers("replay")).toEqual([
      ["C1", "ok", "ok"],
      ["C3", "ok", "v1"],
      ["C1", "ok", "v1"],
    ]);
  });

  it("random: arbitrary payloads from the fault's own stream", () => {
    for (const [, value] of answers("random")) expect(value).toMatch(/^random [0-9a-f]{8}$/);
  });

  it("silent: executes but never answers", () => {
    const { summary, trace } = run(text("silent"));
    expect(eventsOfKind(trace, "withhold")).toHaveLength(3);
    expect(summary.metrics.executions).toBe(3);
    expect(summary.metrics.requests.failed).toBe(3);
    expect(summary.checks.map((c) => c.ok)).toEqual([false, true]);
  });

  it("is limited to its window", () => {
    const { trace } = run(text("lie").replace("behavior: lie", "behavior: lie, from: 150ms"));
    expect(eventsOfKind(trace, "accept").map((e) => e.value)).toEqual(["ok", "v1", "not v1"]);
  });
});

describe("closed loop", () => {
  it("replaces each finished request at once and resumes after the client's restart", () => {
    const { trace } = run(`
version: 1
name: closed
until: 200ms
nodes: [{ id: A }, { id: B }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s } }
workload: [{ clients: [A], target: B, outstanding: 1, op: read, key: k }]
faults: [{ kind: crash, node: A, at: 45ms, restart: 55ms }]
`);
    // Round trips of 20 ms: issued at 0, 20, 40; the one from 40 is abandoned at 45; A is back at 100.
    expect(eventsOfKind(trace, "issue").map((e) => e.timeUs / 1000)).toEqual([0, 20, 40, 100, 120, 140, 160, 180, 200]);
    expect(eventsOfKind(trace, "fail").map((e) => [e.timeUs / 1000, e.reason])).toEqual([[45, "client-crashed"]]);
  });

  it("a node in no partition group is cut off from everyone", () => {
    const { summary } = run(`
version: 1
name: cut off
nodes: [{ id: A }, { id: B }, { id: C }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms } }
workload: [{ client: C, server: A, op: read, key: k, count: 1 }, { client: A, server: B, op: read, key: k, count: 1 }]
faults: [{ kind: partition, groups: [[A, B]] }]
`);
    expect(summary.metrics.requests).toMatchObject({ issued: 2, succeeded: 1, failed: 1 });
    expect(summary.metrics.messages.droppedBy.partition).toBe(1);
  });
});
