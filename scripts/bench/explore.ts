// Exhaustive fault search and parameter curves: schedules explored per second (one core, the slide's
// "response lost" with every kind of fault), and a curve's runs per second over worker threads.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseScenarioText, type Scenario } from "../../server/sim";
import { explore } from "../../server/sim/search/explore";
import { parseVarySpec, variedScenario } from "../../server/sim/sweep/vary";
import { defaultThreadCount, runSweep } from "../../server/runner";
import { nodeSha256Hex } from "../../server/runner/hash";
import { parse as parseYaml } from "yaml";

export const title = "exhaustive search and parameter curves";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function scenario(text: string): Scenario {
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** The slide's response-lost scenario with dedupe (so nothing fails and every schedule is run), two requests. */
const EXPLORED = `
version: 1
name: bench explore
until: 10s
nodes: [{ id: C1, role: client }, { id: C2, role: server }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 2 }, server: { processing: 1ms, dedupe: true } }
workload: [{ client: C1, server: C2, op: write, key: journal, value: v, count: 2, interval: 50ms }]
checks: [at-most-once]
`;

const CURVE = `
version: 1
name: bench curve
maxEvents: 1000
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 2 } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
checks: [all-complete]
`;

export async function run(): Promise<void> {
  // 1. Exhaustive search, one core.
  const s = scenario(EXPLORED);
  explore(s, { faults: 1, depth: 4, run: { sha256Hex: nodeSha256Hex } }); // warm-up
  for (const [faults, depth] of [
    [1, 8],
    [2, 8],
    [3, 6],
  ] as const) {
    const t0 = performance.now();
    const r = explore(s, { faults, depth, run: { sha256Hex: nodeSha256Hex } });
    const sec = (performance.now() - t0) / 1000;
    console.log(
      `explore --faults ${faults} --depth ${depth} (drop, duplicate, crash; 2 requests): ${r.explored} schedules in ${sec.toFixed(2)} s = ${Math.round(r.explored / sec)} schedules/s on one core (${r.repeatedTraces} repeated a trace, ${r.failing} failing)`,
    );
  }
  const slide = fs.readFileSync(path.join(root, "..", "shared", "scenarios", "05-response-lost.yaml"), "utf8");
  if (slide) {
    const t0 = performance.now();
    const r = explore(scenario(slide.replace(/faults:\n( {2}- .*\n)+/, "")), { faults: 2, depth: 6, run: { sha256Hex: nodeSha256Hex } });
    console.log(`slide "response lost" without its fault, --faults 2 --depth 6: shortest failing schedule "${r.shortest?.faults.map((f) => f.describe).join("; ")}" after ${r.explored} schedules in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }

  // 2. A curve: 11 loss values x 1000 seeds, each point a threaded sweep.
  const spec = parseVarySpec("network.loss=0:0.5:0.05");
  if (!spec.ok) throw new Error(spec.message);
  const doc = parseYaml(CURVE) as unknown;
  for (const threads of [1, defaultThreadCount()]) {
    const seeds = 1000;
    const t0 = performance.now();
    for (const value of spec.value.values) {
      const v = variedScenario(doc, [{ path: spec.value.path, segments: spec.value.segments, value }]);
      if (!v.ok) throw new Error(v.problems[0]!.message);
      await runSweep(v.scenario, { seeds, threads });
    }
    const sec = (performance.now() - t0) / 1000;
    const runs = spec.value.values.length * seeds;
    console.log(`curve --vary network.loss=0:0.5:0.05 --seeds ${seeds} on ${threads} thread${threads === 1 ? "" : "s"}: ${runs} runs in ${sec.toFixed(2)} s = ${Math.round(runs / sec)} runs/s, ${(sec / spec.value.values.length).toFixed(2)} s a point`);
    if (defaultThreadCount() === 1) break;
  }
}
