// Primary-backup and two-phase commit: events per second of their 3-node examples on one core
// (with and without the trace), and the wall time of a 1000-seed sweep of each over worker threads.

import os from "node:os";
import { parseScenarioText, runScenario, type Scenario } from "../../server/sim";
import type { BuiltinProtocolDefinition } from "../../server/sim/protocols/builtin";
import { primaryBackup } from "../../server/sim/protocols/primary-backup";
import { twoPhaseCommit } from "../../server/sim/protocols/two-phase-commit";
import { defaultThreadCount, runSweep } from "../../server/runner";

export const title = "protocols: primary-backup and two-phase commit";

/** Seeds of each in-process measurement (each run is a few thousand events). */
const SEEDS_IN_PROCESS = 100;
const SWEEP_SEEDS = 1000;

function example(def: BuiltinProtocolDefinition): Scenario {
  const r = parseScenarioText(def.example);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** Events per second of CPU time over SEEDS_IN_PROCESS seeds (the machine is shared: wall time would count the neighbours). */
function eventsPerSecond(s: Scenario, recordTrace: boolean): { rate: number; eventsPerRun: number } {
  let events = 0;
  const cpu0 = process.cpuUsage();
  for (let seed = 1; seed <= SEEDS_IN_PROCESS; seed++) events += runScenario(s, { seed, recordTrace }).summary.events;
  const cpu = process.cpuUsage(cpu0);
  return { rate: events / ((cpu.user + cpu.system) / 1e6), eventsPerRun: events / SEEDS_IN_PROCESS };
}

const fmt = (n: number, d = 2) => n.toFixed(d);

export async function run(): Promise<void> {
  const threads = defaultThreadCount();
  console.log(`load average before: ${os.loadavg().map((l) => fmt(l)).join(", ")} on ${threads} cores (a shared machine makes the wall times longer)`);
  for (const def of [primaryBackup, twoPhaseCommit]) {
    const s = example(def);
    runScenario(s, { seed: 1, recordTrace: false }); // warm up
    const traced = eventsPerSecond(s, true);
    const bare = eventsPerSecond(s, false);
    console.log(`${def.kind}, its example (${s.nodes.length} nodes, ${fmt(traced.eventsPerRun, 0)} events per run), one core, ${SEEDS_IN_PROCESS} seeds:`);
    console.log(`  with the trace and its digest: ${fmt(traced.rate / 1e3, 0)} k events/s`);
    console.log(`  without the trace (sweeps):    ${fmt(bare.rate / 1e3, 0)} k events/s`);
    const t0 = performance.now();
    const sweep = await runSweep(s, { seeds: SWEEP_SEEDS, from: 1, threads });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`  sweep of ${SWEEP_SEEDS} seeds on ${threads} worker threads: ${fmt(seconds)} s wall time (including thread start-up); checks held: ${sweep.checks.map((c) => `${c.name} ${c.held}`).join(", ")}`);
  }
}
