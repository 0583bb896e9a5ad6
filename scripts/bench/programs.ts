// Programs: messages per second delivered to sandboxed handlers (an echo program on the built-in
// library, 5 nodes, one core), natively for comparison, the cost of starting a node, and the wall
// time of a whole run: the gossip template on 25 nodes, 100 operations/s for 20 virtual seconds,
// sandboxed and natively (what the sandbox costs on this machine, whatever its speed).

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { MessageBody, NodeBehavior, NodeContext } from "../../server/sim/nodes/api";
import { parseScenarioText, runScenario } from "../../server/sim";
import { PROGRAM_TEMPLATES } from "../../server/templates/programs";
import { programOptions } from "../../server/runner/programs";
import { nodeSha256Stream } from "../../server/runner/hash";
import { nativeProgramBehavior, programBehavior, type NativeProgram } from "../../server/sim/programs";
import { loadNodeProgramRuntime } from "../../server/runner/programs";
import type { CustomProtocol } from "../../server/sim/scenario/types";
import type { ProgramHost } from "../../server/sim";

export const title = "programs";

const ECHO = `var node = require('./node');
node.on('echo', function (req) { node.reply(req, { type: 'echo_ok', echo: req.body.echo }); });
node.main();
`;
const NODES = 5;

/** A context that counts sends and keeps nothing else (the kernel's own cost is measured elsewhere). */
function context(id: string, counter: { sent: number }): NodeContext {
  let timers = 0;
  return {
    id,
    localTimeUs: () => 0,
    send: () => void counter.sent++,
    setTimer: () => timers++,
    cancelTimer: () => {},
    storage: { get: () => undefined, set: () => {}, delete: () => {}, keys: () => [] },
    random: () => 0.5,
    log: () => {},
    note: () => {},
    fail: (e) => {
      throw new Error(`node failed: ${JSON.stringify(e)}`);
    },
  };
}

/**
 * Delivers `messages` echo requests round-robin; returns messages per second of this process's
 * CPU time (the machine is shared: wall time would measure the neighbours too).
 */
function deliver(behaviors: NodeBehavior[], messages: number): number {
  const counter = { sent: 0 };
  const ctxs = behaviors.map((_, i) => context(`n${i + 1}`, counter));
  behaviors.forEach((b, i) => b.start(ctxs[i]!));
  const body: MessageBody = { type: "echo", msg_id: 0, echo: "hello, world" };
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < messages; i++) {
    body.msg_id = i;
    // As the runtime does: the body's JSON text is made once, when the message is sent.
    behaviors[i % NODES]!.receive(ctxs[i % NODES]!, "c1", body, JSON.stringify(body));
  }
  const cpu = process.cpuUsage(cpu0);
  const seconds = (cpu.user + cpu.system) / 1e6;
  if (counter.sent !== messages) throw new Error(`expected ${messages} replies, got ${counter.sent}`);
  return messages / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ids = Array.from({ length: NODES }, (_, i) => `n${i + 1}`);

/** How fast this core is right now: ns per iteration of a plain loop (to compare machines and moments: lower is faster). */
function calibrate(): number {
  const c0 = process.cpuUsage();
  let x = 0;
  for (let i = 0; i < 200_000_000; i++) x += i & 7;
  const c = process.cpuUsage(c0);
  if (x < 0) console.log(x);
  return ((c.user + c.system) * 1000) / 200_000_000;
}

export async function run(): Promise<void> {
  console.log(`this core now: ${calibrate().toFixed(2)} ns per iteration of a plain JavaScript loop (to compare machines and moments: lower is faster); load average ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`);
  const runtime = await loadNodeProgramRuntime();
  const protocol: CustomProtocol = { kind: "custom", main: "echo.js", files: { "echo.js": ECHO }, limits: { fuel: 50_000_000, memoryBytes: 32 * 1024 * 1024 } };
  const MESSAGES = 100_000;
  const sandboxed: number[] = [];
  for (let round = 0; round < 4; round++) {
    await runtime.prepare(protocol, NODES);
    const make = programBehavior(runtime, protocol, ids);
    const rate = deliver(ids.map(() => make()), MESSAGES);
    if (round > 0) sandboxed.push(rate);
  }
  console.log(`sandboxed echo, ${NODES} nodes, one core: ${Math.round(median(sandboxed)).toLocaleString("en")} messages per CPU second (goal ≥ 100,000)`);

  const native = nativeOf({ kind: "custom", main: "echo.js", files: { "echo.js": ECHO }, limits: protocol.limits });
  const natives: number[] = [];
  for (let round = 0; round < 4; round++) {
    const make = nativeProgramBehavior(native, ids);
    const rate = deliver(ids.map(() => make()), MESSAGES * 5);
    if (round > 0) natives.push(rate);
  }
  console.log(`the same program natively: ${Math.round(median(natives)).toLocaleString("en")} messages per CPU second`);

  const t0 = performance.now();
  const STARTS = 50;
  await runtime.prepare(protocol, STARTS);
  const t1 = performance.now();
  const make = programBehavior(runtime, protocol, ids);
  const counter = { sent: 0 };
  for (let i = 0; i < STARTS; i++) make().start(context("n1", counter));
  const t2 = performance.now();
  console.log(`a fresh interpreter module per node: ${((t1 - t0) / STARTS).toFixed(2)} ms to prepare, ${((t2 - t1) / STARTS).toFixed(2)} ms to start (runtime, context, shim, program, init; after the first, the shim's booted memory is copied)`);

  // A whole run, as `faultline run` does it (modules prepared, nodes started, run, checks, digest).
  const broadcastText = broadcast25Text();
  const broadcast = parsed(broadcastText);
  const walls: number[] = [];
  const cpus: number[] = [];
  let events = 0;
  console.log(`load average before the broadcast runs: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`);
  for (let round = 0; round < 3; round++) {
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    const r = runScenario(broadcast, { ...(await programOptions(broadcast)), seed: 1, sha256Stream: nodeSha256Stream });
    const c = process.cpuUsage(c0);
    walls.push((performance.now() - w0) / 1000);
    cpus.push((c.user + c.system) / 1e6);
    events = r.summary.events;
    if (!r.summary.ok) throw new Error(`the broadcast run failed a check: ${JSON.stringify(r.summary.checks)}`);
  }
  console.log(
    `gossip broadcast (the program-broadcast template), 25 nodes, grid, 5 clients at 100 operations/s for 20 virtual s, latency 1-10 ms: ` +
      `${events.toLocaleString("en")} events, ${median(walls).toFixed(2)} s wall (${median(cpus).toFixed(2)} s CPU) in this process, median of 3 (goal: under 3 s)`,
  );
  // The same program run natively (as built-in protocols are): the simulator's and the runtime's
  // share of the run, which no interpreter can go below; the rest is the sandbox's.
  const nativeHost: ProgramHost = { behaviors: (p, nodeIds) => nativeProgramBehavior(nativeOf(p), nodeIds) };
  const nativeWalls: number[] = [];
  for (let round = 0; round < 3; round++) {
    const w0 = performance.now();
    const r = runScenario(broadcast, { programs: nativeHost, seed: 1, sha256Stream: nodeSha256Stream });
    nativeWalls.push((performance.now() - w0) / 1000);
    if (!r.summary.ok) throw new Error(`the native broadcast run failed a check: ${JSON.stringify(r.summary.checks)}`);
  }
  console.log(`  the same program natively (no sandbox): ${median(nativeWalls).toFixed(2)} s wall, median of 3: the sandbox's share is ${(100 * (1 - median(nativeWalls) / median(walls))).toFixed(0)}%`);
  // And as a user runs it: a fresh `faultline run` process each time (start-up and a cold JIT included).
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "faultline-bench-")), "broadcast-25.yaml");
  writeFileSync(file, broadcastText);
  const cli: number[] = [];
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["bin/faultline.mjs", "run", file], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`faultline run exited with ${r.status}: ${r.stderr}${r.stdout}`);
    cli.push((performance.now() - t0) / 1000);
  }
  console.log(`  the same with npx faultline run: ${median(cli).toFixed(2)} s wall, median of 3; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`);
}

/** A program's files as native functions, each wrapped as the sandbox wraps it (CommonJS and Node's globals). */
function nativeOf(protocol: CustomProtocol): NativeProgram {
  const files: NativeProgram["files"] = {};
  for (const [name, source] of Object.entries(protocol.files)) {
    const fn = new Function("exports", "require", "module", "__filename", "__dirname", "process", "console", "setTimeout", "setInterval", "clearTimeout", "clearInterval", "queueMicrotask", "Date", "Math", source) as (...a: unknown[]) => void;
    files[name] = { source, fn };
  }
  return { main: protocol.main, files };
}

function parsed(text: string) {
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** The gossip template on 25 nodes: a grid, 5 clients, 100 operations a second for 20 s, no loss or partition. */
function broadcast25Text(): string {
  const template = PROGRAM_TEMPLATES.find((t) => t.id === "program-broadcast");
  if (!template) throw new Error("no program-broadcast template");
  const text = template.source
    .replace(/^nodes: \[.*\]$/m, `nodes: [${Array.from({ length: 25 }, (_, i) => `{ id: n${i + 1} }`).join(", ")}]`)
    .replace(/^network: .*$/m, "network: { latency: { dist: uniform, min: 1ms, max: 10ms } }")
    .replace(/^workload:\n.*\n/m, "workload:\n  - { kind: broadcast, clients: 5, rate: 100, duration: 20s, topology: grid }\n")
    .replace(/^faults:\n.*\n/m, "");
  return text;
}
