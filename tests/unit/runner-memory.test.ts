// Simulation threads have a memory limit (server/runner): a run that needs more ends its
// thread with a reason that says so, and the process and later runs are unaffected.
import { describe, expect, it } from "vitest";
import { RunnerError, runSeed, runSweep } from "@/server/runner";
import { unfinishedOutcome } from "@/server/worker/outcome";
import { checkScenario } from "@/server/scenarios/validate";
import { TEMPLATES } from "@/server/templates";

const THREAD_MEMORY_MB = 256;

function scenario(source: string) {
  const c = checkScenario(source);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.scenario;
}

// 1024 nodes keeping 10,000 requests each in flight: gigabytes, with no limit.
const HUGE = scenario(`version: 1
name: every node floods every other
maxEvents: 1000000
nodes: [${Array.from({ length: 1024 }, (_, i) => `{ id: N${i} }`).join(", ")}]
protocol: { kind: request-response }
workload:
  - { clients: all, target: random, outstanding: 10000, op: read, key: k }
`);
const SMALL = scenario(TEMPLATES[0]!.source);

describe("a simulation thread's memory limit", () => {
  it("ends a run that needs more than the limit, saying so, before the process is at risk", async () => {
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sample = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 10);
    const err = await runSeed(HUGE, { memoryMb: THREAD_MEMORY_MB }).catch((e: unknown) => e);
    clearInterval(sample);
    expect(err).toBeInstanceOf(RunnerError);
    expect((err as RunnerError).code).toBe("out-of-memory");
    expect((err as RunnerError).message).toBe(`the simulation ran out of memory: it needed more than the ${THREAD_MEMORY_MB} MB one simulation may use`);
    // Stopped before it allocated far past its limit (it takes gigabytes unchecked).
    expect(rssPeak - rssBefore).toBeLessThan(4 * THREAD_MEMORY_MB * 1024 * 1024);
    // The next run in this process is unaffected.
    expect((await runSeed(SMALL, { memoryMb: THREAD_MEMORY_MB })).summary.ok).toBe(true);
  });

  it("applies to every thread of a sweep", async () => {
    await expect(runSweep(HUGE, { seeds: 2, threads: 2, memoryMb: THREAD_MEMORY_MB })).rejects.toMatchObject({ code: "out-of-memory" });
  });

  it("fails the run at once with the reason: the same scenario would need the same memory again", () => {
    const outcome = unfinishedOutcome(new RunnerError("out-of-memory", `the simulation ran out of memory: it needed more than the ${THREAD_MEMORY_MB} MB one simulation may use`), "run");
    expect(outcome).toEqual({
      ok: false,
      retryable: false,
      error: `The simulation ran out of memory: it needed more than the ${THREAD_MEMORY_MB} MB one simulation may use. Lower maxEvents, the number of nodes, or the requests kept outstanding.`,
    });
  });
});
