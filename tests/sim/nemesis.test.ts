// The pause fault and the random nemesis: a pause defers a node's work and keeps its state; a
// random entry draws plain faults from the run's seed (its own stream), the summary spells them out,
// and the spelled-out scenario replays to the same digest. The random nemesis finds known bugs.

import { describe, expect, it } from "vitest";
import { decodeTrace, encodeTrace, parseScenarioText, runScenario, traceDigest } from "@/server/sim";
import { expandRandomFaults } from "@/server/sim/faults/random";
import { spelledOutDocument } from "@/server/sim/search/document";
import { programOptions } from "@/server/runner/programs";
import { PROGRAM_TEMPLATES } from "@/server/templates/programs";
import { builtinProtocol } from "@/server/sim/protocols/registry";
import { run, schedule, scenario } from "./helpers";
import { RANDOM_RR, RR } from "./nemesis-helpers";

describe("pause", () => {
  const one = (faults: string) => `version: 1
name: paused server
nodes: [{ id: C1, role: client }, { id: C2, role: server }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s }, server: { processing: 1ms } }
workload: [{ client: C1, server: C2, op: write, key: k, value: v, count: 2, interval: 100ms }]
faults:
${faults}
checks: [all-complete, at-most-once]
`;

  it("holds a paused server's deliveries until the pause ends, then answers them in order", () => {
    const { summary, trace } = runScenario(scenario(one("  - { kind: pause, node: C2, from: 0ms, until: 500ms }")));
    expect(summary.ok).toBe(true);
    // Both requests reach C2 at 500 ms; each is processed for 1 ms and answered 10 ms later.
    expect(summary.metrics.latencyMs.max).toBe(511);
    expect(summary.metrics.latencyMs.p50).toBe(411);
    const delivered = [];
    for (let i = 0; i < trace!.length; i++) {
      const e = trace!.event(i);
      if (e.kind === "deliver" && e.node === "C2") delivered.push(e.timeUs / 1000);
    }
    expect(delivered).toEqual([500, 500]);
  });

  it("keeps the node's state, unlike a crash: a dedupe table survives a pause", () => {
    const dedupe = (f: string) => one(f).replace("processing: 1ms }", "processing: 1ms, dedupe: true }").replace("timeout: 1s", "timeout: 100ms, retries: 5");
    const paused = runScenario(scenario(dedupe("  - { kind: pause, node: C2, from: 5ms, until: 300ms }"))).summary;
    expect(paused.checks.find((c) => c.name === "at-most-once")!.ok).toBe(true);
    expect(paused.metrics.requests.attempts).toBeGreaterThan(2);
  });

  it("is opt-in: a scenario without it runs exactly as before, and a pause outside the run changes nothing but the fault list", () => {
    const plain = runScenario(scenario(one("  []").replace("faults:\n  []", "faults: []"))).summary;
    const late = runScenario(scenario(one("  - { kind: pause, node: C2, from: 50s, until: 51s }"))).summary;
    expect(late.metrics).toEqual(plain.metrics);
    expect(late.events).toBe(plain.events);
    // The pause lies past the run's last event: nothing of it is recorded, and it keeps no run going.
    expect(late.traceEvents).toBe(plain.traceEvents);
    expect(late.stoppedBy).toBe(plain.stoppedBy);
  });

  it("is in the trace: a pause event on the node when it starts (its fault rule and length), a resume when it ends, before the work it held", () => {
    const { trace } = run(one("  - { kind: pause, node: C2, from: 50ms, until: 500ms }"));
    expect(schedule(trace, ["pause", "resume", "deliver"]).filter((r) => r.includes("C2"))).toEqual(["10 C2 deliver", "50 C2 pause", "500 C2 resume", "500 C2 deliver"]);
    const pause = trace.event(schedule(trace).indexOf("50 C2 pause"));
    expect(pause).toMatchObject({ kind: "pause", node: "C2", fault: 0, durationUs: 450_000 });
    const resume = trace.event(schedule(trace).indexOf("500 C2 resume"));
    expect(resume).toMatchObject({ kind: "resume", node: "C2", fault: 0 });
    expect(resume.durationUs).toBeUndefined();
    // The binary trace keeps them: decoded, the events and the digest are the same.
    const back = decodeTrace(encodeTrace(trace));
    expect(back.event(pause.index)).toEqual(pause);
    expect(back.event(resume.index)).toEqual(resume);
    expect(traceDigest(back)).toBe(traceDigest(trace));
  });

  it("records a node's overlapping or touching windows as one pause, as the node lives them", () => {
    const { trace } = run(one("  - { kind: pause, node: C2, from: 50ms, until: 250ms }\n  - { kind: pause, node: C2, from: 200ms, until: 500ms }\n  - { kind: pause, node: C2, from: 500ms, until: 600ms }"));
    expect(schedule(trace, ["pause", "resume"])).toEqual(["50 C2 pause", "600 C2 resume"]);
    const rows = schedule(trace);
    expect(trace.event(rows.indexOf("50 C2 pause"))).toMatchObject({ fault: 0, durationUs: 550_000 });
    expect(trace.event(rows.indexOf("600 C2 resume"))).toMatchObject({ fault: 2 });
    expect(rows).toContain("600 C2 deliver");
  });

  it("ends a pause where every fault ends (a workload's final phase), with no fault rule", () => {
    const source = builtinProtocol("primary-backup")!.example.replace(/faults:\n[\s\S]*?checks:/, "faults:\n  - { kind: pause, node: n1, from: 9s, until: 20s }\nchecks:");
    const { trace } = run(source);
    expect(schedule(trace, ["pause", "resume"])).toEqual(["9000 n1 pause", "10000 n1 resume"]);
    const resume = trace.event(schedule(trace).indexOf("10000 n1 resume"));
    expect(resume.fault).toBeUndefined();
  });

  it("records the random nemesis's pauses like written ones", () => {
    const s = scenario(RR("  - { kind: random, kinds: [pause], every: 500ms, length: { min: 50ms, max: 500ms } }"));
    const { summary, trace } = run(s, 1);
    const pauses = summary.schedule!.map((f, i) => ({ f, i })).filter(({ f }) => f.kind === "pause");
    expect(pauses.length).toBeGreaterThan(1);
    const recorded = [];
    for (let i = 0; i < trace.length; i++) if (trace.kindName(i) === "pause") recorded.push(trace.event(i));
    expect(recorded.length).toBeGreaterThan(1);
    for (const e of recorded) {
      expect(summary.schedule![e.fault!]!.kind).toBe("pause");
      expect(e.node).toBe(summary.schedule![e.fault!]!.node);
    }
    // Recorded in time order, and on each node a pause and a resume take turns.
    const open = new Map<string, boolean>();
    for (let i = 0; i < trace.length; i++) {
      if (i > 0) expect(trace.data.time[i]).toBeGreaterThanOrEqual(trace.data.time[i - 1]!);
      const kind = trace.kindName(i);
      if (kind !== "pause" && kind !== "resume") continue;
      const node = trace.event(i).node!;
      expect(open.get(node) ?? false).toBe(kind === "resume");
      open.set(node, kind === "pause");
    }
  });
});

describe("random nemesis", () => {
  it("reports bad fields by path", () => {
    const r = parseScenarioText(RR("  - { kind: random, kinds: [crash, meteor], nodes: [C9], every: 0ms, length: { min: 2s, max: 1s } }"));
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(paths).toContainEqual(expect.stringMatching(/^faults\[0\]\.kinds\[1\]: the random nemesis draws crash, pause, partition/));
    expect(paths).toContainEqual(expect.stringMatching(/^faults\[0\]\.nodes\[0\]: unknown node "C9"/));
    expect(paths).toContainEqual(expect.stringMatching(/^faults\[0\]\.every: every must be longer than 0/));
  });

  it("draws the same schedule for the same seed, another for another seed, each fault inside its window and before the quiet period", () => {
    const s = scenario(RR("  - { kind: random, from: 1s, until: 9s, quiet: 2s, every: 300ms }"));
    const a = expandRandomFaults(s, 5).faults;
    expect(expandRandomFaults(s, 5).faults).toEqual(a);
    expect(expandRandomFaults(s, 6).faults).not.toEqual(a);
    expect(a.length).toBeGreaterThan(3);
    for (const f of a) {
      expect(f.kind).not.toBe("random");
      const [from, until] = f.kind === "crash" ? [f.atUs, f.atUs + (f.restartUs ?? 0)] : "fromUs" in f ? [f.fromUs, f.untilUs!] : [0, 0];
      expect(from).toBeGreaterThanOrEqual(1_000_000);
      expect(until).toBeLessThanOrEqual(7_000_000);
    }
  });

  it("draws from a stream of its own: the network's settings do not change the schedule", () => {
    const a = expandRandomFaults(scenario(RANDOM_RR), 3).faults;
    const b = expandRandomFaults(scenario(RR("  - { kind: random, every: 500ms, length: { min: 50ms, max: 500ms } }", "\n  loss: 0.2\n  duplicate: 0.1")), 3).faults;
    expect(b).toEqual(a);
  });

  it("spells the drawn schedule out in the summary; saved as a scenario, it replays to the same trace digest", () => {
    const source = RANDOM_RR.replace("network:\n  latency: 10ms", "network:\n  latency: { dist: uniform, min: 5ms, max: 15ms }\n  loss: 0.05");
    for (const seed of [1, 2, 3]) {
      const original = runScenario(scenario(source), { seed }).summary;
      expect(original.schedule!.length).toBeGreaterThan(0);
      expect(original.schedule!.every((f) => f.kind !== "random")).toBe(true);
      const saved = spelledOutDocument(source, scenario(source), { seed });
      expect(saved).not.toContain("kind: random");
      const replay = runScenario(scenario(saved)).summary;
      expect(replay.seed).toBe(seed);
      expect(replay.traceDigest).toBe(original.traceDigest);
      expect(replay.schedule).toBeUndefined();
    }
  });

  it("finds the request-response bug (no dedupe: a repeat is executed twice) within 3 seeds", () => {
    const s = scenario(RANDOM_RR);
    const failing = [1, 2, 3].filter((seed) => !runScenario(s, { seed, recordTrace: false }).summary.checks.find((c) => c.name === "at-most-once")!.ok);
    expect(failing.length).toBeGreaterThan(0);
    // With dedupe the same schedules never execute a request twice.
    const fixed = scenario(RANDOM_RR.replace("dedupe: false", "dedupe: true"));
    for (const seed of [1, 2, 3]) expect(runScenario(fixed, { seed, recordTrace: false }).summary.checks.find((c) => c.name === "at-most-once")!.ok).toBe(true);
  });

  const raft = (variant: string) =>
    builtinProtocol("raft")!
      .example.replace("batch: 16 }", `batch: 16${variant} }`)
      .replace("until: 60s", "until: 30s")
      .replace("loss: 0.02, duplicate: 0.02", "loss: 0")
      .replace(/faults:\n[\s\S]*?checks: .*\n/, "faults:\n  - { kind: random, kinds: [crash, partition], every: 400ms, length: { min: 200ms, max: 1.5s }, until: 8s }\nchecks: [leader-completeness, state-machine-safety]\n");

  it("finds Raft's vote-without-log-check bug within 3 seeds, and the correct Raft holds on the same schedules", () => {
    const buggy = scenario(raft(", variant: vote-without-log-check"));
    const correct = scenario(raft(""));
    const verdict = (s: typeof buggy, seed: number) => runScenario(s, { seed, recordTrace: false }).summary.checks.find((c) => c.name === "leader-completeness")!.ok;
    expect([1, 2, 3].map((seed) => verdict(buggy, seed))).toContain(false);
    expect([1, 2, 3].map((seed) => verdict(correct, seed))).toEqual([true, true, true]);
  }, 60_000);

  it("works for programs: it draws among the program's nodes, never its clients", async () => {
    const template = PROGRAM_TEMPLATES.find((t) => t.id === "program-echo")!;
    expect(template.source).not.toContain("faults:");
    const source = template.source + "faults:\n  - { kind: random, kinds: [pause, crash, partition], every: 300ms }\n";
    const s = scenario(source);
    const { summary } = runScenario(s, { seed: 4, recordTrace: false, ...(await programOptions(s)) });
    expect(summary.schedule!.length).toBeGreaterThan(0);
    const programNodes = s.nodes.filter((n) => n.role !== "client").map((n) => n.id);
    for (const f of summary.schedule!) {
      if (typeof f.node === "string") expect(programNodes).toContain(f.node);
    }
    const replay = runScenario(scenario(spelledOutDocument(source, s, { seed: 4 })), { recordTrace: false, ...(await programOptions(s)) }).summary;
    expect(replay.checks).toEqual(summary.checks);
    expect(replay.events).toBe(summary.events);
  }, 60_000);
});
