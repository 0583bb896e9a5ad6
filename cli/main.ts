// The `faultline` command line: run one seed, sweep many seeds over worker threads, validate a file,
// or check a history. Exit codes: 0 every check holds, 1 a check failed, 2 the file is not valid (or the command line is wrong).

import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  ENGINE_VERSION,
  formatDuration,
  LIMITS,
  parseScenarioText,
  runScenario,
  traceJsonlLines,
  type Scenario,
  type RunSummary,
  type ScenarioProblem,
  type SweepSummary,
  type Trace,
} from "../server/sim";
import { defaultThreadCount, RunnerError, runSweep } from "../server/runner";
import { programOptions } from "../server/runner/programs";
import { BUILTIN_PROTOCOLS } from "../server/sim/protocols/registry";
import { checkNote } from "../server/scenarios/check-notes";
import { nodeSha256Stream } from "../server/runner/hash";
import { shrinkCommand } from "./shrink";
import { SHRINK_MAX_STEPS } from "../server/sim/search/shrink";
import { CHECK_TIMEOUT_SECONDS_DEFAULT, CHECK_TIMEOUT_SECONDS_MAX, checkHistoryFile } from "./check";
import { cmdCurve } from "./curve";
import { cmdExplore } from "./explore";

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_INVALID = 2;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
  /** True when stderr is a terminal (progress lines are drawn only then). */
  interactive: boolean;
}

const nodeIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  readFile: (p) => readFileSync(p === "-" ? 0 : p, "utf8"),
  interactive: Boolean(process.stderr.isTTY),
};

const USAGE = `faultline ${ENGINE_VERSION}: a deterministic simulator of computers exchanging messages while things go wrong

usage:
  faultline run FILE [--seed N] [--json] [--trace OUT.jsonl] [--history OUT.json]
  faultline sweep FILE --seeds N [--from S] [--json] [--threads T] [--vary PATH=FROM:TO:STEP ...]
  faultline explore FILE --faults K --depth N [--kinds drop,duplicate,crash] [--crash NODES] [--restart D] [--check NAME] [--seed N] [--all] [--out OUT.yaml] [--json]
  faultline validate FILE
  faultline shrink FILE --seed N [--check NAME] [--out OUT.yaml] [--steps K]
  faultline protocols [--json]
  faultline check HISTORY.json [--json] [--timeout SECONDS]

exit codes: 0 every check holds, 1 a check failed, 2 the file is not a valid scenario
shrink: 1 a failing scenario was found and written, 0 the run does not fail, 2 the file is not valid
check: 0 linearizable, 1 not linearizable, 2 not a valid history, 3 gave up at the time limit (default ${CHECK_TIMEOUT_SECONDS_DEFAULT} s)
`;

export class UsageError extends Error {}

export async function main(argv: string[], io: CliIo = nodeIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await cmdRun(rest, io);
      case "sweep":
        return await cmdSweep(rest, io);
      case "explore":
        return await cmdExplore(rest, io);
      case "validate":
        return cmdValidate(rest, io);
      case "shrink":
        return await cmdShrink(rest, io);
      case "protocols":
        return cmdProtocols(rest, io);
      case "check":
        return cmdCheck(rest, io);
      case "--version":
      case "version":
        io.out(`${ENGINE_VERSION}\n`);
        return EXIT_OK;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? EXIT_INVALID : EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`faultline: ${err.message}\n\n${USAGE}`);
      return EXIT_INVALID;
    }
    if (err instanceof RunnerError) {
      io.err(`faultline: ${err.message}\n`);
      return EXIT_INVALID;
    }
    throw err;
  }
}

export function parse(args: string[], options: NonNullable<ParseArgsConfig["options"]>, what = "scenario") {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (r.positionals.length !== 1) {
      throw new UsageError(r.positionals.length === 0 ? `give the ${what} FILE` : `expected one FILE, got ${r.positionals.join(" ")}`);
    }
    return { file: r.positionals[0] as string, values: r.values as Record<string, string | boolean | undefined> };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(err instanceof Error ? err.message.split("\n")[0]! : String(err));
  }
}

export function wholeNumber(name: string, text: string | boolean | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const s = String(text);
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${s}"`);
  }
  return Number(s);
}

/** FILE's text, or null (and a message) when it cannot be read. */
function readText(file: string, io: CliIo): string | null {
  try {
    return io.readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : err instanceof Error ? err.message : String(err);
    io.err(`faultline: cannot read ${file}: ${why}\n`);
    return null;
  }
}

/** Reads and validates FILE; prints every problem and returns null when it is not a valid scenario. */
export function load(file: string, io: CliIo, toStdout: boolean): Scenario | null {
  const text = readText(file, io);
  if (text === null) return null;
  const result = parseScenarioText(text, { programFiles: programFilesBeside(file, text, io) });
  if (result.ok) return result.scenario;
  const print = toStdout ? io.out : io.err;
  print(`${file}: not a valid scenario (${result.problems.length} problem${result.problems.length === 1 ? "" : "s"})\n`);
  for (const p of result.problems) print(formatProblem(file, p) + "\n");
  return null;
}

/**
 * A program scenario that leaves protocol.files out runs `main` and what it requires from the
 * scenario's folder, and nothing outside it. Undefined when the document gives its files itself.
 */
function programFilesBeside(file: string, text: string, io: CliIo): Record<string, string> | undefined {
  // Only a program (protocol kind custom) has files: a document that cannot name that kind, not even
  // through an escape in a quoted string, is not parsed twice (a big document's parse costs tens of ms).
  if (!text.includes("custom") && !text.includes("\\")) return undefined;
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: LIMITS.MAX_YAML_ALIASES });
  } catch {
    return undefined; // the parser reports it
  }
  const protocol = (doc as { protocol?: { kind?: unknown; main?: unknown; files?: unknown } } | null)?.protocol;
  if (!protocol || protocol.kind !== "custom" || protocol.files !== undefined || typeof protocol.main !== "string") return undefined;
  const dir = path.dirname(path.resolve(file));
  const files: Record<string, string> = {};
  const queue = [protocol.main];
  while (queue.length > 0 && Object.keys(files).length <= LIMITS.MAX_PROGRAM_FILES) {
    const name = queue.shift()!;
    if (name in files) continue;
    const full = path.resolve(dir, name);
    if (!full.startsWith(dir + path.sep)) continue; // nothing outside the scenario's folder
    let source: string;
    try {
      source = io.readFile(full);
    } catch {
      continue; // a require that resolves to no file is the program's own error
    }
    files[name] = source;
    for (const m of source.matchAll(/require\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(name), m[1]!));
      for (const candidate of [base, `${base}.js`, `${base}.ts`, `${base}/index.js`]) {
        if (fileExists(path.resolve(dir, candidate))) {
          queue.push(candidate);
          break;
        }
      }
    }
  }
  return files;
}

function fileExists(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** "file.yaml:23:26: faults[2].node: unknown node "C9"" */
export function formatProblem(file: string, p: ScenarioProblem): string {
  const where = p.line !== undefined ? `${file}:${p.line}:${p.column ?? 1}: ` : `${file}: `;
  return where + (p.path ? `${p.path}: ${p.message}` : p.message);
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function replayCommand(file: string, seed: number): string {
  return `npx faultline run ${shellQuote(file)} --seed ${seed}`;
}

const fmtMs = (ms: number | null) => (ms === null ? "-" : formatDuration(Math.round(ms * 1000)));

async function cmdRun(args: string[], io: CliIo): Promise<number> {
  const { file, values } = parse(args, {
    seed: { type: "string" },
    json: { type: "boolean" },
    trace: { type: "string" },
    history: { type: "string" },
  });
  const seedArg = wholeNumber("seed", values.seed, 0, 0xffffffff);
  const scenario = load(file, io, false);
  if (!scenario) return EXIT_INVALID;
  const seed = seedArg ?? scenario.seed;
  const { summary, trace, history } = runScenario(scenario, { ...(await programOptions(scenario)), seed, recordTrace: true, sha256Stream: nodeSha256Stream });
  if (typeof values.trace === "string") writeJsonl(values.trace, trace!);
  if (typeof values.history === "string") {
    if (!history) throw new UsageError("--history needs a scenario with a workload for programs (a workload entry with a kind)");
    writeFileSync(values.history, JSON.stringify(history, null, 1) + "\n");
  }
  const failed = summary.checks.filter((c) => !c.ok);
  if (values.json) {
    io.out(JSON.stringify(summary, null, 2) + "\n");
    if (failed.length > 0) io.err(`replay: ${replayCommand(file, seed)}\n`);
    return failed.length > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
  }
  io.out(runLines(summary, trace).join("\n") + "\n");
  if (failed.length > 0) io.out(`replay: ${replayCommand(file, seed)}\n`);
  return failed.length > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}

/** The run summary in words, a line per figure, each failed check with its witness events. */
function runLines(summary: RunSummary, trace: Trace | undefined): string[] {
  const m = summary.metrics;
  const lines = [
    `seed ${summary.seed}  scenario "${summary.scenario}"  engine ${summary.engine}`,
    `stopped by ${summary.stoppedBy} at ${fmtMs(summary.virtualTimeMs)} after ${summary.events} events (${summary.traceEvents} trace records)`,
    `messages: ${m.messages.sent} sent, ${m.messages.delivered} delivered, ${m.messages.dropped} dropped, ${m.messages.duplicated} duplicated` +
      (m.messages.inFlight > 0 ? `, ${m.messages.inFlight} in flight` : ""),
  ];
  if (m.operations) {
    const o = m.operations;
    lines.push(`operations: ${o.invoked} invoked, ${o.ok} succeeded, ${o.failed} failed, ${o.indeterminate} indeterminate (no answer, or an answer that does not say)${o.pending > 0 ? `, ${o.pending} pending` : ""}`);
  } else {
    lines.push(
      `requests: ${m.requests.issued} issued, ${m.requests.succeeded} succeeded, ${m.requests.failed} failed` +
        (m.requests.pending > 0 ? `, ${m.requests.pending} pending` : "") +
        `, ${m.requests.attempts} attempts; ${m.executions ?? 0} executions`,
    );
  }
  if (m.calls && m.calls.issued > 0) {
    lines.push(`downstream calls: ${m.calls.issued} issued, ${m.calls.succeeded} succeeded, ${m.calls.failed} failed, ${m.calls.attempts} attempts`);
  }
  const l = m.latencyMs;
  lines.push(
    l.mean === null
      ? `latency: no ${m.operations ? "operation" : "request"} was answered`
      : `latency: mean ${fmtMs(l.mean)}, p50 ${fmtMs(l.p50)}, p90 ${fmtMs(l.p90)}, p99 ${fmtMs(l.p99)}, max ${fmtMs(l.max)}`,
  );
  lines.push(summary.checks.length === 0 ? "checks: none" : "checks:");
  for (const c of summary.checks) {
    const type = c.type ? ` (${c.type})` : "";
    lines.push(c.ok ? `  ok    ${c.name}${type}` : `  FAIL  ${c.name}${type}: ${c.message ?? ""}`);
    const note = checkNote(c, m.operations ? null : m.requests);
    if (note?.warn) lines.push(`          ${note.text}`);
    if (!c.ok && c.witness && trace) {
      for (const i of c.witness) lines.push(`          witness ${describeEvent(trace, i)}`);
    }
  }
  lines.push(`trace digest: ${summary.traceDigest}`);
  return lines;
}

function describeEvent(trace: Trace, i: number): string {
  if (i < 0 || i >= trace.length) return `#${i}`;
  const e = trace.event(i, false);
  const parts = [`#${i}`, fmtMs(e.timeUs / 1000), e.node ?? "", e.kind];
  if (e.messageType) parts.push(e.messageType, e.from && e.to ? `${e.from}→${e.to}` : "");
  if (e.request !== undefined) parts.push(`request #${e.request}`);
  if (e.type !== undefined) parts.push(e.type, e.from && e.to ? `${e.from}→${e.to}` : "");
  if (e.note) parts.push(`${e.note.name} ${JSON.stringify(e.note.fields)}`);
  if (e.operation !== undefined) parts.push(`operation #${e.operation}`, JSON.stringify(e.input), e.outcome ?? "");
  if (e.result !== undefined) parts.push(`result ${JSON.stringify(e.result)}`);
  else if (e.value !== undefined && e.messageType === "response") parts.push(`value ${JSON.stringify(e.value)}`);
  return parts.filter(Boolean).join(" ");
}

function writeJsonl(path: string, trace: Trace): void {
  const fd = openSync(path, "w");
  try {
    let buf: string[] = [];
    let size = 0;
    for (const line of traceJsonlLines(trace)) {
      buf.push(line);
      size += line.length + 1;
      if (size > 1 << 20) {
        writeSync(fd, buf.join("\n") + "\n");
        buf = [];
        size = 0;
      }
    }
    if (buf.length > 0) writeSync(fd, buf.join("\n") + "\n");
  } finally {
    closeSync(fd);
  }
}

async function cmdSweep(args: string[], io: CliIo): Promise<number> {
  const { file, values } = parse(args, {
    seeds: { type: "string" },
    from: { type: "string" },
    json: { type: "boolean" },
    threads: { type: "string" },
    vary: { type: "string", multiple: true },
  });
  const seeds = wholeNumber("seeds", values.seeds, 1, LIMITS.MAX_SWEEP_SEEDS);
  if (seeds === undefined) throw new UsageError("sweep needs --seeds N");
  const fromArg = wholeNumber("from", values.from, 0, 0xffffffff);
  const threads = wholeNumber("threads", values.threads, 1, 64) ?? defaultThreadCount();
  const scenario = load(file, io, false);
  if (!scenario) return EXIT_INVALID;
  const from = fromArg ?? scenario.seed;
  if (from + seeds - 1 > 0xffffffff) throw new UsageError("--from + --seeds goes past the largest seed, 4294967295");
  const vary = values.vary as unknown as string[] | undefined;
  if (vary && vary.length > 0) {
    const text = readText(file, io);
    if (text === null) return EXIT_INVALID;
    return cmdCurve({ file, base: scenario, text, vary, seeds, from, threads, json: values.json === true }, io);
  }
  const started = performance.now();
  let lastDraw = 0;
  const summary = await runSweep(scenario, {
    seeds,
    from,
    threads,
    deadlineMs: 3_600_000,
    onProgress: (p) => {
      if (!io.interactive || values.json) return;
      const now = performance.now();
      if (now - lastDraw < 100 && p.done < p.total) return;
      lastDraw = now;
      io.err(`\r${p.done}/${p.total} seeds`);
      if (p.done === p.total) io.err("\r\x1b[K");
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const failed = summary.checks.some((c) => c.failed > 0);
  if (values.json) io.out(JSON.stringify(summary, null, 2) + "\n");
  else io.out(formatSweep(summary, file, threads, seconds));
  if (values.json && failed) {
    const first = summary.failingSeeds[0];
    if (first !== undefined) io.err(`replay: ${replayCommand(file, first)}\n`);
  }
  return failed ? EXIT_CHECK_FAILED : EXIT_OK;
}

function num(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(Math.abs(v) >= 100 ? 1 : 3);
}

function formatSweep(s: SweepSummary, file: string, threads: number, seconds: number): string {
  const lines = [
    `sweep of "${s.scenario}": seeds ${s.from}..${s.from + s.seeds - 1} (${s.seeds} runs on ${threads} thread${threads === 1 ? "" : "s"}, ${seconds.toFixed(2)} s), engine ${s.engine}`,
    `every check held on ${s.allHeld} of ${s.seeds} seeds; stopped by ${Object.entries(s.stoppedBy).filter(([k, n]) => n > 0 || ["idle", "until", "maxEvents"].includes(k)).map(([k, n]) => `${k} ${n}`).join(", ")}`,
    "checks:",
  ];
  const width = Math.max(0, ...s.checks.map((c) => c.name.length));
  for (const c of s.checks) {
    let line = `  ${c.name.padEnd(width)}  held ${c.held}/${s.seeds}`;
    if (c.failed > 0) line += `, failed ${c.failed}; first failing seeds: ${c.failingSeeds.join(", ")}${c.failed > c.failingSeeds.length ? ", ..." : ""}`;
    lines.push(line);
    if (c.firstFailure) lines.push(`  ${" ".repeat(width)}  ${c.firstFailure}`);
  }
  lines.push("metrics over seeds:");
  const names = Object.keys(s.metrics) as (keyof SweepSummary["metrics"])[];
  const nw = Math.max(...names.map((n) => n.length));
  lines.push(`  ${"".padEnd(nw)}  ${["mean", "min", "p50", "p90", "p99", "max"].map((h) => h.padStart(10)).join("")}`);
  for (const n of names) {
    const d = s.metrics[n];
    if (!d) continue;
    lines.push(`  ${n.padEnd(nw)}  ${[d.mean, d.min, d.p50, d.p90, d.p99, d.max].map((v) => num(v).padStart(10)).join("")}`);
  }
  const first = s.failingSeeds[0];
  if (first !== undefined) lines.push(`replay the first failing seed: ${replayCommand(file, first)}`);
  return lines.join("\n") + "\n";
}

async function cmdShrink(args: string[], io: CliIo): Promise<number> {
  const { file, values } = parse(args, { seed: { type: "string" }, check: { type: "string" }, out: { type: "string" }, steps: { type: "string" } });
  const seedArg = wholeNumber("seed", values.seed, 0, 0xffffffff);
  const steps = wholeNumber("steps", values.steps, 1, SHRINK_MAX_STEPS);
  const scenario = load(file, io, false);
  if (!scenario) return EXIT_INVALID;
  const check = typeof values.check === "string" ? values.check : undefined;
  const out = typeof values.out === "string" ? values.out : undefined;
  return shrinkCommand(file, io.readFile(file), scenario, { seed: seedArg ?? scenario.seed, check, out, steps }, io);
}

function cmdValidate(args: string[], io: CliIo): number {
  const { file } = parse(args, {});
  const scenario = load(file, io, true);
  if (!scenario) return EXIT_INVALID;
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? "" : "s"}`;
  io.out(
    `${file}: valid scenario "${scenario.name}" (${n(scenario.nodes.length, "node")}, ${n(scenario.workload.length, "workload entry").replace("entrys", "entries")}, ${n(scenario.faults.length, "fault")}, ${n(scenario.checks.length, "check")})\n`,
  );
  return EXIT_OK;
}

/** Lists each protocol kind: parameters, checks (safety or liveness), bug variants and an example. */
function cmdProtocols(args: string[], io: CliIo): number {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: { json: { type: "boolean" } }, allowPositionals: false, strict: true }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split("\n")[0]! : String(err));
  }
  const list = BUILTIN_PROTOCOLS.map((p) => ({
    kind: p.kind,
    summary: p.summary,
    workload: p.workload,
    parameters: p.parameters.map((x) => ({ name: x.name, kind: x.kind, default: x.default, ...(x.values ? { values: x.values } : {}), doc: x.doc })),
    checks: p.checks.map((c) => ({ name: c.name, type: c.type })),
    variants: p.variants.map((v) => ({ name: v.name, breaks: v.breaks })),
    example: p.example,
  }));
  if (values.json) {
    io.out(JSON.stringify(list, null, 2) + "\n");
    return EXIT_OK;
  }
  const lines: string[] = [];
  for (const p of list) {
    lines.push(`${p.kind}: ${p.summary}`, `  workload: ${p.workload}`, "  parameters:");
    for (const x of p.parameters) lines.push(`    ${x.name} (default ${x.default}${x.values ? `; ${x.values.join(" | ")}` : ""}): ${x.doc}`);
    lines.push("  checks:");
    for (const c of p.checks) lines.push(`    ${c.name} (${c.type})`);
    lines.push("  variants:");
    for (const v of p.variants) lines.push(`    ${v.name}: breaks ${v.breaks.join(", ")}`);
    lines.push("  example:", ...p.example.trimEnd().split("\n").map((l) => `    ${l}`), "");
  }
  io.out(lines.join("\n"));
  return EXIT_OK;
}

function cmdCheck(args: string[], io: CliIo): number {
  const { file, values } = parse(args, { json: { type: "boolean" }, timeout: { type: "string" } }, "history");
  let timeoutSeconds = CHECK_TIMEOUT_SECONDS_DEFAULT;
  if (values.timeout !== undefined) {
    const s = String(values.timeout);
    timeoutSeconds = Number(s);
    if (!/^\d+(\.\d+)?$/.test(s) || timeoutSeconds <= 0 || timeoutSeconds > CHECK_TIMEOUT_SECONDS_MAX) {
      throw new UsageError(`--timeout must be a number of seconds above 0 and at most ${CHECK_TIMEOUT_SECONDS_MAX}, got "${s}"`);
    }
  }
  const text = readText(file, io);
  if (text === null) return EXIT_INVALID;
  return checkHistoryFile(file, text, { json: values.json === true, timeoutSeconds }, io);
}
