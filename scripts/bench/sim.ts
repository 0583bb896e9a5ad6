// Simulator speed: events per second on one core with the trace recorded, trace bytes per event,
// the wall time of a 1000-seed sweep of a ~10,000-event scenario over worker threads, and
// `faultline run` of the closed loop for 250 virtual seconds end to end against a minimal
// hand-written simulator (scripts/bench/minimal-sim.mjs).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encodeTrace, parseScenarioText, runScenario, traceDigest, type Scenario } from "../../server/sim";
import { createRunBase } from "../../server/sim/run";
import { RequestResponseModule } from "../../server/sim/protocols/request-response/module";
import { Trace } from "../../server/sim/trace/trace";
import { defaultThreadCount, runSweep } from "../../server/runner";
import { nodeSha256Hex } from "../../server/runner/hash";

export const title = "simulator";

function closedLoopText(nodes: number, maxEvents: number, until = "1000m"): string {
  return `
version: 1
name: bench closed loop ${nodes} nodes
until: ${until}
maxEvents: ${maxEvents}
nodes: [${Array.from({ length: nodes }, (_, i) => `{ id: N${i} }`).join(", ")}]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol: { kind: request-response, client: { timeout: 50ms, retries: 3 } }
workload: [{ clients: all, target: random, outstanding: 1, op: read, key: k }]
checks: [all-complete, at-most-once, { latency: { p99: 200ms } }]
`;
}

function closedLoop(nodes: number, maxEvents: number): Scenario {
  const r = parseScenarioText(closedLoopText(nodes, maxEvents));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 2) => n.toFixed(d);

export async function run(): Promise<void> {
  console.log(`machine: ${os.cpus()[0]?.model ?? "?"}, ${defaultThreadCount()} cores, node ${process.version}`);

  // 1. One core, closed loop of 100 nodes, trace recorded.
  const EVENTS = 2_000_000;
  const s = closedLoop(100, EVENTS);
  const simRates: number[] = [];
  const fullRates: number[] = [];
  const bareRates: number[] = [];
  let recordsPerEvent = 0;
  let memBytesPerRecord = 0;
  let encodedBytesPerRecord = 0;
  let digestMs = 0;
  // Each mode is measured in its own loop (a warm-up round, then 3), so one mode's garbage does
  // not land in another's timing.
  for (let round = 0; round < 4; round++) {
    const t0 = performance.now();
    const base = createRunBase(s, round + 1, { recordTrace: true });
    const sim = new RequestResponseModule(base.kernel, base.transport, true);
    base.kernel.attach(sim, base.transport);
    base.transport.attach(sim);
    base.kernel.run();
    const kernel = base.kernel;
    const dt = (performance.now() - t0) / 1000;
    if (round > 0) simRates.push(kernel.events / dt);
    if (round === 3) {
      recordsPerEvent = kernel.rec.length / kernel.events;
      memBytesPerRecord = (19 * kernel.rec.length + 26 * sim.msgs.count + 25 * sim.reqs.count) / kernel.rec.length;
      const trace = new Trace({
        layout: "request-response",
        engine: "bench",
        scenario: s.name,
        seed: round + 1,
        nodes: kernel.nodeIds,
        faults: [],
        strings: sim.strings.list,
        ...kernel.rec.exportColumns(),
        requests: sim.reqs.export(),
        messages: sim.msgs.export(),
      });
      const t1 = performance.now();
      traceDigest(trace);
      digestMs = performance.now() - t1;
      encodedBytesPerRecord = encodeTrace(trace).length / trace.length;
    }
  }
  for (let round = 0; round < 4; round++) {
    const t0 = performance.now();
    // As the worker threads run it: the digest through node:crypto.
    const full = runScenario(s, { seed: round + 1, sha256Hex: nodeSha256Hex });
    const dt = (performance.now() - t0) / 1000;
    if (round > 0) fullRates.push(full.summary.events / dt);
  }
  for (let round = 0; round < 4; round++) {
    const t0 = performance.now();
    const bare = runScenario(s, { seed: round + 1, recordTrace: false });
    const dt = (performance.now() - t0) / 1000;
    if (round > 0) bareRates.push(bare.summary.events / dt);
  }
  console.log(`closed loop, 100 nodes, latency uniform 1-10 ms, loss 0.05, timeout 50 ms, 3 retries; ${EVENTS / 1e6} M events per run, median of 3 runs:`);
  console.log(`  simulate + record trace:            ${fmt(median(simRates) / 1e6)} M events/s (${fmt((median(simRates) * recordsPerEvent) / 1e6)} M trace records/s, ${fmt(recordsPerEvent)} records/event)`);
  console.log(`  runScenario with trace and digest:  ${fmt(median(fullRates) / 1e6)} M events/s (digest via node:crypto, as in the workers)`);
  console.log(`  pure TypeScript digest (browser):   ${fmt(digestMs, 0)} ms for this trace (encoding + SHA-256)`);
  console.log(`  runScenario without trace (sweeps): ${fmt(median(bareRates) / 1e6)} M events/s`);
  console.log(
    `  trace size: ${fmt(memBytesPerRecord, 1)} bytes/record in memory (19 in event columns + message and request tables), ` +
      `${fmt(encodedBytesPerRecord, 1)} bytes/record encoded = ${fmt(encodedBytesPerRecord * recordsPerEvent, 1)} bytes per processed event`,
  );

  // 2. End to end: `faultline run` (process start, parse, run, checks, digest, output) against the
  // minimal simulator (process start, run, SHA-256 of its trace columns), alternately, 3 times each.
  await endToEnd();

  // 3. A 1000-seed sweep of a ~10,000-event scenario over worker threads.
  const small = closedLoop(10, 10_000);
  const one = runScenario(small, { seed: 1, recordTrace: false }).summary;
  let t0 = performance.now();
  for (let seed = 1; seed <= 100; seed++) runScenario(small, { seed, recordTrace: false });
  const inProcessPerSeedMs = (performance.now() - t0) / 100;
  const threads = defaultThreadCount();
  t0 = performance.now();
  const sweep = await runSweep(small, { seeds: 1000, from: 1, threads });
  const sweepMs = performance.now() - t0;
  console.log(`\nsweep: 1000 seeds of "${small.name}" (${one.events} events each, stopped by ${one.stoppedBy}):`);
  console.log(`  ${fmt(sweepMs / 1000)} s wall time on ${threads} worker threads (including thread start-up), ${fmt((1000 * one.events) / (sweepMs / 1000) / 1e6)} M events/s overall`);
  console.log(`  one seed in-process: ${fmt(inProcessPerSeedMs)} ms; seeds on which each check held: ${sweep.checks.map((c) => `${c.name} ${c.held}`).join(", ")}`);
}

/**
 * CPU seconds (user + system) of the children this process has waited for so far, from
 * /proc/self/stat (Linux; null elsewhere). On a shared machine CPU time says more than wall time.
 */
function childrenCpuSeconds(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 of the file (cutime, cstime), in clock ticks of 1/100 s; `state` is field 3.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

/** Section 2 alone (`npx tsx -e "import('./scripts/bench/sim.ts').then((m) => m.endToEnd())"`). */
export async function endToEnd(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "faultline-bench-")), "closed-loop-250s.yaml");
  writeFileSync(file, closedLoopText(100, 10_000_000, "250s"));
  const measure = (args: string[]) => {
    const cpu0 = childrenCpuSeconds();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    const wall = (performance.now() - t0) / 1000;
    const cpu1 = childrenCpuSeconds();
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
    return { wall, cpu: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
  };
  measure(["bin/faultline.mjs", "validate", file]); // builds the CLI bundle if a source changed
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(", ");
  console.log(`\nend to end, closed loop of 100 nodes for 250 virtual s (about 4.9 M events, 13 M trace records); load average ${load()}:`);
  const cli: { wall: number; cpu: number | null }[] = [];
  const minimal: { wall: number; cpu: number | null }[] = [];
  for (let round = 0; round < 3; round++) {
    cli.push(measure(["bin/faultline.mjs", "run", file]));
    minimal.push(measure(["scripts/bench/minimal-sim.mjs", "100", "250"]));
  }
  const wallCli = median(cli.map((m) => m.wall));
  const wallMin = median(minimal.map((m) => m.wall));
  console.log(`  npx faultline run, digest included: ${fmt(wallCli)} s wall; minimal simulator with a trace of every event: ${fmt(wallMin)} s; ratio ${fmt(wallCli / wallMin)} (goal ≤ 1.5), medians of 3`);
  if (cli.every((m) => m.cpu !== null) && minimal.every((m) => m.cpu !== null)) {
    // CPU time (user + system) is what a busy machine takes from wall time least: compare it too.
    const cpuCli = median(cli.map((m) => m.cpu!));
    const cpuMin = median(minimal.map((m) => m.cpu!));
    console.log(`  by CPU time (user + system): ${fmt(cpuCli)} s against ${fmt(cpuMin)} s; ratio ${fmt(cpuCli / cpuMin)}, medians of 3; load average now ${load()}`);
  }
}
