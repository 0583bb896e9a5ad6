// The worker-thread runner: one seed with progress, a sweep over a pool of threads, the deadline.

import { describe, expect, it } from "vitest";
import { decodeTrace, runScenario, traceDigest } from "@/server/sim";
import { RunnerError, runSeed, runSweep, setWorkerBundling } from "@/server/runner";
import { scenario, sharedScenario } from "./helpers";

describe("runSeed", () => {
  it("gives the same summary and trace as an in-process run", async () => {
    const s = sharedScenario("09-lossy-network-sweep.yaml");
    const progress: number[] = [];
    const r = await runSeed(s, { seed: 11, onProgress: (p) => progress.push(p.fraction) });
    const local = runScenario(s, { seed: 11 });
    expect(r.summary).toEqual(local.summary);
    expect(r.trace).not.toBeNull();
    expect(traceDigest(decodeTrace(r.trace!))).toBe(local.summary.traceDigest);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it("terminates a run that passes its wall-clock deadline, with a clear error", async () => {
    const endless = scenario(`
version: 1
name: endless
until: 1000m
maxEvents: 10000000
nodes: [{ id: A }, { id: B }]
protocol: { kind: request-response }
workload: [{ clients: all, outstanding: 50, op: read, key: k }]
`);
    const started = Date.now();
    const err = await runSeed(endless, { deadlineMs: 400 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunnerError);
    expect((err as RunnerError).code).toBe("deadline");
    expect((err as RunnerError).message).toMatch(/longer than 400 ms of wall-clock time/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("can be cancelled", async () => {
    const ac = new AbortController();
    const p = runSeed(sharedScenario("01-request-lost.yaml"), { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: "cancelled" });
  });
});

describe("runSweep", () => {
  it("spreads seeds over threads and aggregates them like the in-process runs", async () => {
    const s = sharedScenario("09-lossy-network-sweep.yaml");
    const seen: number[] = [];
    const sweep = await runSweep(s, { seeds: 60, from: 100, threads: 2, onProgress: (p) => seen.push(p.done) });
    expect(sweep.seeds).toBe(60);
    expect(sweep.from).toBe(100);
    expect(seen[seen.length - 1]).toBe(60);
    let held = 0;
    const failing: number[] = [];
    for (let seed = 100; seed < 160; seed++) {
      if (runScenario(s, { seed, recordTrace: false }).summary.checks[0]!.ok) held++;
      else failing.push(seed);
    }
    const allComplete = sweep.checks.find((c) => c.name === "all-complete")!;
    expect(allComplete.held).toBe(held);
    expect(allComplete.failed).toBe(60 - held);
    expect(allComplete.failingSeeds).toEqual(failing.slice(0, 20));
    expect(sweep.metrics["requests.issued"]).toMatchObject({ min: 100, max: 100, mean: 100 });
  });

  it("rejects impossible options", async () => {
    await expect(runSweep(sharedScenario("01-request-lost.yaml"), { seeds: 0 })).rejects.toMatchObject({ code: "invalid-options" });
  });
});

describe("without the esbuild bundle", () => {
  it("threads load the TypeScript worker through tsx and give the same results", async () => {
    const s = sharedScenario("05-response-lost.yaml");
    setWorkerBundling(false);
    try {
      const r = await runSeed(s, { seed: 4 });
      expect(r.summary).toEqual(runScenario(s, { seed: 4 }).summary);
      const sweep = await runSweep(s, { seeds: 4, threads: 2 });
      expect(sweep.checks.find((c) => c.name === "at-most-once")).toMatchObject({ held: 0, failed: 4 });
    } finally {
      setWorkerBundling(true);
    }
  }, 60_000);
});
