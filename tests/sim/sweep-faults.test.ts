// Which fault rules acted in a sweep's failing seeds: counted without changing a run (same trace
// digest, same summary otherwise), aggregated per rule, and merged from shards in any order.
import { describe, expect, it } from "vitest";
import { aggregateSweep, mergeSweepFaults, runScenario, sweepFaults } from "@/server/sim";
import { runSweep } from "@/server/runner";
import { scenario, sharedScenario } from "./helpers";

const FLAKY = scenario(`version: 1
name: flaky answers
nodes: [{ id: C1, role: client }, { id: C2, role: server }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 0 } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
faults:
  - { kind: drop, match: { type: response }, probability: 0.3 }
  - { kind: crash, node: C2, at: 5s }
  - { kind: delay, match: { type: request }, by: 1ms, from: 1s }
checks: [all-complete]
`);

describe("countFaults", () => {
  it("counts what each rule did without changing the run", () => {
    for (const file of ["03-server-crash.yaml", "05-response-lost.yaml", "04-server-slow.yaml", "07-byzantine-lie.yaml"]) {
      const s = sharedScenario(file);
      const plain = runScenario(s).summary;
      const counted = runScenario(s, { countFaults: true }).summary;
      const { faultsFired, ...rest } = counted;
      expect(rest, file).toEqual(plain);
      expect(faultsFired, file).toHaveLength(s.faults.length);
      expect(faultsFired!.every((n) => n > 0), file).toBe(true);
    }
    expect(runScenario(sharedScenario("05-response-lost.yaml"), { countFaults: true }).summary.faultsFired).toEqual([1]);
    expect(runScenario(sharedScenario("03-server-crash.yaml"), { countFaults: true }).summary.faultsFired).toEqual([1]);
  });

  it("counts a pause that held an event back, and not one that held nothing", () => {
    const paused = scenario(`version: 1
name: paused server
nodes: [{ id: C1, role: client }, { id: C2, role: server }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 500ms, retries: 0 } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
faults:
  - { kind: pause, node: C2, from: 5ms, until: 200ms }
  - { kind: pause, node: C1, from: 2s, until: 3s }
checks: [all-complete]
`);
    const plain = runScenario(paused).summary;
    const { faultsFired, ...rest } = runScenario(paused, { countFaults: true }).summary;
    expect(rest).toEqual(plain);
    // The request reaches C2 at 10 ms, inside its pause: held back once. C1 is paused after the run's work.
    expect(faultsFired![0]).toBeGreaterThan(0);
    expect(faultsFired![1]).toBe(0);
  });
});

describe("sweepFaults", () => {
  const runs = Array.from({ length: 40 }, (_, seed) => runScenario(FLAKY, { seed, recordTrace: false, countFaults: true }).summary);

  it("says which rules acted in the failing seeds and in the passing ones", () => {
    const f = aggregateSweep(runs).faults!;
    const failing = runs.filter((r) => !r.ok);
    expect(failing.length).toBeGreaterThan(3);
    expect(f.failingSeeds).toBe(failing.length);
    expect(f.passingSeeds).toBe(40 - failing.length);
    // Only a lost answer fails a run here: rule 1 acted in every failing seed and in no passing one.
    expect(f.firedInFailing[0]).toBe(failing.length);
    expect(f.firedInPassing[0] ?? 0).toBe(0);
    // The crash is scheduled in every seed, failing or not; the delay starts after the only request.
    expect(f.firedInFailing[1]).toBe(failing.length);
    expect(f.firedInPassing[1]).toBe(40 - failing.length);
    expect(f.firedInFailing[2] ?? 0).toBe(0);
    expect(f.firedInPassing[2] ?? 0).toBe(0);
    expect(f.failing.map((x) => x.seed)).toEqual(failing.map((r) => r.seed).slice(0, 20));
    expect(f.failing.every((x) => x.rules.join() === "0,1")).toBe(true);
  });

  it("is absent when no seed counted its faults, and shards merge to the whole in any order", () => {
    expect(aggregateSweep(runs.map(({ faultsFired: _f, ...r }) => r)).faults).toBeUndefined();
    const whole = sweepFaults(runs, 5)!;
    const a = sweepFaults(runs.slice(0, 17), 5)!;
    const b = sweepFaults(runs.slice(17), 5)!;
    expect(mergeSweepFaults(a, b, 5)).toEqual(whole);
    expect(mergeSweepFaults(b, a, 5)).toEqual(whole);
  });
});

describe("a sweep in the runner's threads", () => {
  it("records the fault summary of its seeds", async () => {
    const sweep = await runSweep(FLAKY, { seeds: 10, from: 0, threads: 1 });
    const inProcess = Array.from({ length: 10 }, (_, seed) => runScenario(FLAKY, { seed, recordTrace: false, countFaults: true }).summary);
    expect(sweep.faults).toEqual(sweepFaults(inProcess));
  }, 60_000);
});
