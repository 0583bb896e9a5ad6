// An isolated simulation (server/runner, isolate: true) runs in a process of its own: the same
// result as in a thread, and when the system kills that process the caller lives on and is told.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { RunnerError, runSeed, runSweep } from "@/server/runner";
import { unfinishedOutcome } from "@/server/worker/outcome";
import { checkScenario } from "@/server/scenarios/validate";
import { TEMPLATES } from "@/server/templates";
import { parseScenarioText } from "@/server/sim";

function scenario(source: string) {
  const c = checkScenario(source);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.scenario;
}

/** Parsed under the simulator's own limits (the service caps maxEvents at 1 M). */
function simScenario(source: string) {
  const r = parseScenarioText(source);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

const SMALL = scenario(TEMPLATES[0]!.source);
// Long enough (10 M events, seconds of work with no trace kept) that the kill always lands while it
// runs: 1 M events once finished on a fast path before a loaded machine's ps saw the process.
const BUSY = simScenario(`version: 1
name: busy
until: 1440m
maxEvents: 10000000
nodes: [{ id: A }, { id: B }, { id: C }, { id: D }]
protocol: { kind: request-response }
workload:
  - { clients: all, target: random, outstanding: 2, op: read, key: k }
`);

function isolatedChildren(): number[] {
  const out = execFileSync("ps", ["--ppid", String(process.pid), "-o", "pid=,args="], { encoding: "utf8" });
  return out.split("\n").filter((l) => /faultline-sim-|worker-entry\.mjs/.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));
}

describe("an isolated simulation", () => {
  it("gives the same result as a thread", async () => {
    const [inThread, isolated] = await Promise.all([runSeed(SMALL, { seed: 3 }), runSeed(SMALL, { seed: 3, isolate: true })]);
    expect(isolated.summary).toEqual(inThread.summary);
    expect(Buffer.from(isolated.trace!).equals(Buffer.from(inThread.trace!))).toBe(true);
    const [sweepThread, sweepIsolated] = await Promise.all([runSweep(SMALL, { seeds: 20, threads: 2 }), runSweep(SMALL, { seeds: 20, threads: 2, isolate: true })]);
    expect(sweepIsolated).toEqual(sweepThread);
  });

  it("tells its caller when the system kills its process, and the caller carries on", async () => {
    const running = runSeed(BUSY, { isolate: true, recordTrace: false }).catch((e: unknown) => e);
    // Kill the isolated process as soon as it is there, as the out-of-memory killer would.
    for (;;) {
      const [pid] = isolatedChildren();
      if (pid) {
        process.kill(pid, "SIGKILL");
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const err = (await running) as RunnerError;
    expect(err).toBeInstanceOf(RunnerError);
    expect(err.code).toBe("process-killed");
    expect(err.message).toBe("the simulation's process was killed (SIGKILL) while it ran, most likely by the system for taking too much of the machine's memory");
    expect(unfinishedOutcome(err, "run")).toEqual({ ok: false, retryable: true, error: "The simulation's process was killed (SIGKILL) while it ran, most likely by the system for taking too much of the machine's memory." });
    expect((await runSeed(SMALL, { isolate: true })).summary.ok).toBe(true);
  });
});
