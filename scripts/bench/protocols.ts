// Built-in consensus protocols: events per CPU second of one 5-node Raft and one 5-node Paxos run
// under their lin-kv examples (one core), and the wall time of a 1000-seed sweep of each.

import os from "node:os";
import { parseScenarioText, runScenario, type Scenario } from "../../server/sim";
import { builtinProtocol } from "../../server/sim/protocols/registry";
import { defaultThreadCount, runSweep } from "../../server/runner";

export const title = "built-in protocols";

/** Seeds run in this process to measure events per CPU second (after as many to warm up). */
const SEEDS_IN_PROCESS = 20;
const SWEEP_SEEDS = 1000;

function exampleOf(kind: string): Scenario {
  const r = parseScenarioText(builtinProtocol(kind)!.example);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** Events per second of this process's CPU time over seeds from..from+count-1 (the machine is shared: wall time would measure the neighbours). */
function eventsPerCpuSecond(s: Scenario, from: number, count: number, recordTrace: boolean): { rate: number; eventsPerRun: number } {
  let events = 0;
  const cpu0 = process.cpuUsage();
  for (let seed = from; seed < from + count; seed++) events += runScenario(s, { seed, recordTrace }).summary.events;
  const cpu = process.cpuUsage(cpu0);
  return { rate: events / ((cpu.user + cpu.system) / 1e6), eventsPerRun: events / count };
}

async function measure(label: string, s: Scenario): Promise<void> {
  eventsPerCpuSecond(s, 1000, SEEDS_IN_PROCESS, false);
  const bare = eventsPerCpuSecond(s, 1, SEEDS_IN_PROCESS, false);
  const traced = eventsPerCpuSecond(s, 1, SEEDS_IN_PROCESS, true);
  const threads = defaultThreadCount();
  const t0 = performance.now();
  const sweep = await runSweep(s, { seeds: SWEEP_SEEDS, from: 1, threads, deadlineMs: 3_600_000 });
  const sweepS = (performance.now() - t0) / 1000;
  const held = sweep.checks.map((c) => `${c.name} ${c.held}`);
  console.log(`${label} (${Math.round(bare.eventsPerRun).toLocaleString("en")} events per run):`);
  console.log(`  one core: ${Math.round(bare.rate).toLocaleString("en")} events per CPU second without the trace, ${Math.round(traced.rate).toLocaleString("en")} with it`);
  console.log(`  sweep of ${SWEEP_SEEDS} seeds: ${sweepS.toFixed(1)} s wall time on ${threads} worker threads; seeds on which each check held: ${held.join(", ")}`);
}

export async function run(): Promise<void> {
  console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")} on ${defaultThreadCount()} cores (a shared machine makes the wall times longer)`);
  await measure("raft, 5 nodes, lin-kv, the Figure 8 example", exampleOf("raft"));
  await measure("paxos multi-decree, 5 nodes, lin-kv, the example", exampleOf("paxos"));
}
