// Shrinking (docs/search.md): the time to shrink a typical failing run under the random nemesis,
// request-response without dedupe and the built-in Raft with its vote-without-log-check bug, on one
// core (CPU time: the machine is shared), with the runs it took and the faults and events kept.

import os from "node:os";
import { parseScenarioText, runScenario, type Scenario } from "../../server/sim";
import { raft } from "../../server/sim/protocols/raft";
import { shrinkScenario } from "../../server/sim/search/shrink";

export const title = "shrink: a failing run under the random nemesis, shrunk";

const REQUEST_RESPONSE = `version: 1
name: writes under a random nemesis
until: 10s
nodes: [{ id: C1, role: client }, { id: C2, role: server }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 3 }, server: { processing: 1ms, dedupe: false } }
workload: [{ client: C1, server: C2, op: write, key: journal, value: "dear diary", count: 40, interval: 200ms }]
faults: [{ kind: random, every: 500ms, length: { min: 50ms, max: 500ms } }]
checks: [all-complete, at-most-once]
`;

const RAFT = raft.example
  .replace("batch: 16 }", "batch: 16, variant: vote-without-log-check }")
  .replace("until: 60s", "until: 30s")
  .replace("loss: 0.02, duplicate: 0.02", "loss: 0")
  .replace(/faults:\n[\s\S]*?checks: .*\n/, "faults:\n  - { kind: random, kinds: [crash, partition], every: 400ms, length: { min: 200ms, max: 1.5s }, until: 8s }\nchecks: [leader-completeness, state-machine-safety]\n");

/** Seeds tried to find a failing run of each. */
const SEEDS_TRIED = 10;

function parse(text: string): Scenario {
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function measure(label: string, s: Scenario, check: string): void {
  let seed = 1;
  while (seed <= SEEDS_TRIED && runScenario(s, { seed, recordTrace: false }).summary.checks.find((c) => c.name === check)!.ok) seed++;
  if (seed > SEEDS_TRIED) {
    console.log(`${label}: no seed of 1..${SEEDS_TRIED} fails ${check}`);
    return;
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = shrinkScenario(s, { seed, check });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (!r.failing) throw new Error("the failing run did not fail when shrunk");
  console.log(`${label}, seed ${seed}, ${check}:`);
  console.log(`  faults ${r.before.faults} -> ${r.after.faults}, events ${r.before.events} -> ${r.after.events}, ${r.steps} runs${r.exhausted ? " (budget used up)" : ""}`);
  console.log(`  shrink time: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${wallMs.toFixed(0)} ms wall`);
}

export function run(): void {
  console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`);
  measure("request-response without dedupe (the typical failing run)", parse(REQUEST_RESPONSE), "at-most-once");
  measure("raft vote-without-log-check (5 nodes, 30 s)", parse(RAFT), "leader-completeness");
}
