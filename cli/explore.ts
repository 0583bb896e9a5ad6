// `faultline explore FILE --faults K --depth N`: the exhaustive fault search (server/sim/search/explore.ts)
// with wall-clock figures, and the shortest failing schedule written as a plain scenario (--out).
// Exit codes: 0 nothing fails within the bounds, 1 a failing schedule was found, 2 invalid file or options.

import { writeFileSync } from "node:fs";
import { LIMITS, parseDuration, parseScenarioText } from "../server/sim";
import { nodeSha256Hex } from "../server/runner/hash";
import {
  CHOICE_KINDS,
  EXPLORE_MAX_DEPTH,
  EXPLORE_MAX_FAULTS,
  EXPLORE_SCHEDULES_DEFAULT,
  EXPLORE_SCHEDULES_MAX,
  explore,
  ExploreOptionsError,
  type ChoiceKind,
  type ExploreResult,
  type Schedule,
} from "../server/sim/search/explore";
import { withAddedFaults } from "../server/sim/search/scenario-text";
import { EXIT_CHECK_FAILED, EXIT_INVALID, EXIT_OK, load, parse, shellQuote, UsageError, wholeNumber, type CliIo } from "./main";

/** How often the progress line is redrawn on a terminal. */
const PROGRESS_INTERVAL_MS = 100;

export async function cmdExplore(args: string[], io: CliIo): Promise<number> {
  const { file, values } = parse(args, {
    faults: { type: "string" },
    depth: { type: "string" },
    kinds: { type: "string" },
    crash: { type: "string" },
    check: { type: "string" },
    seed: { type: "string" },
    restart: { type: "string" },
    "max-schedules": { type: "string" },
    all: { type: "boolean" },
    out: { type: "string" },
    json: { type: "boolean" },
  });
  const faults = wholeNumber("faults", values.faults, 0, EXPLORE_MAX_FAULTS);
  const depth = wholeNumber("depth", values.depth, 1, EXPLORE_MAX_DEPTH);
  if (faults === undefined || depth === undefined) throw new UsageError("explore needs --faults K and --depth N");
  const seedArg = wholeNumber("seed", values.seed, 0, 0xffffffff);
  const maxSchedules = wholeNumber("max-schedules", values["max-schedules"], 1, EXPLORE_SCHEDULES_MAX) ?? EXPLORE_SCHEDULES_DEFAULT;
  const kinds = list(values.kinds) ?? [...CHOICE_KINDS];
  for (const k of kinds) if (!(CHOICE_KINDS as readonly string[]).includes(k)) throw new UsageError(`--kinds: "${k}" is not one of ${CHOICE_KINDS.join(", ")}`);
  let restartUs: number | null = null;
  if (values.restart !== undefined) {
    const d = parseDuration(String(values.restart), { maxUs: LIMITS.MAX_DURATION_US });
    if (!d.ok || d.us <= 0) throw new UsageError(`--restart: ${d.ok ? "must be above 0" : d.message}`);
    restartUs = d.us;
  }
  const scenario = load(file, io, false);
  if (!scenario) return EXIT_INVALID;
  if (scenario.protocol.kind === "custom") {
    io.err(`faultline: explore runs request-response and the built-in protocols; a program (protocol.kind custom) is not supported yet\n`);
    return EXIT_INVALID;
  }
  const seed = seedArg ?? scenario.seed;
  const started = performance.now();
  let lastDraw = 0;
  let result: ExploreResult;
  try {
    result = explore(scenario, {
      faults,
      depth,
      kinds: kinds as ChoiceKind[],
      ...(values.check !== undefined ? { checks: list(values.check) } : {}),
      ...(values.crash !== undefined ? { crashNodes: list(values.crash) } : {}),
      restartUs,
      seed,
      maxSchedules,
      exhaustive: values.all === true,
      run: { sha256Hex: nodeSha256Hex },
      onProgress: (p) => {
        if (!io.interactive || values.json) return;
        const now = performance.now();
        if (now - lastDraw < PROGRESS_INTERVAL_MS) return;
        lastDraw = now;
        io.err(`\r${p.explored} schedules (${p.level} fault${p.level === 1 ? "" : "s"})\x1b[K`);
      },
    });
  } catch (err) {
    if (err instanceof ExploreOptionsError) throw new UsageError(err.message);
    throw err;
  }
  if (io.interactive && !values.json) io.err("\r\x1b[K");
  const seconds = (performance.now() - started) / 1000;
  const perSecond = seconds > 0 ? result.explored / seconds : 0;

  let written: string | null = null;
  if (result.shortest && typeof values.out === "string") {
    const text = file === "-" ? null : safeRead(file, io);
    if (text === null) throw new UsageError("--out writes the scenario file with the schedule added: give FILE, not -");
    const out = withAddedFaults(text, result.shortest.faults, {
      seed,
      note: `explore: ${plural(result.shortest.faults.length, "fault")} that make${result.shortest.faults.length === 1 ? "s" : ""} ${result.shortest.failed.join(", ")} fail (npx faultline explore --faults ${faults} --depth ${depth})`,
    });
    // The file must be an ordinary scenario that fails the same way: check it before writing it.
    const again = parseScenarioText(out);
    if (!again.ok) throw new Error(`explore wrote a scenario that does not parse: ${again.problems[0]?.path}: ${again.problems[0]?.message}`);
    writeFileSync(values.out, out);
    written = values.out;
  }

  if (values.json) {
    io.out(JSON.stringify(jsonReport(result, { scenario: scenario.name, seed, faults, depth, kinds, seconds, perSecond, written }), null, 2) + "\n");
  } else {
    io.out(textReport(result, { file, scenario: scenario.name, seed, faults, depth, kinds, seconds, perSecond, written, maxSchedules }));
  }
  return result.shortest ? EXIT_CHECK_FAILED : EXIT_OK;
}

function safeRead(file: string, io: CliIo): string | null {
  try {
    return io.readFile(file);
  } catch {
    return null;
  }
}

function list(v: string | boolean | undefined): string[] | undefined {
  if (typeof v !== "string") return undefined;
  return v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

interface ReportContext {
  scenario: string;
  seed: number;
  faults: number;
  depth: number;
  kinds: string[];
  seconds: number;
  perSecond: number;
  written: string | null;
}

function scheduleJson(s: Schedule) {
  return {
    faults: s.faults.map((f) => f.entry),
    describe: s.faults.map((f) => f.describe),
    failed: s.failed,
    events: s.summary.events,
    traceDigest: s.summary.traceDigest,
  };
}

function jsonReport(r: ExploreResult, c: ReportContext) {
  return {
    scenario: c.scenario,
    seed: c.seed,
    bounds: { faults: c.faults, depth: c.depth, kinds: c.kinds },
    explored: r.explored,
    byLevel: r.byLevel,
    repeatedTraces: r.repeatedTraces,
    failing: r.failing,
    complete: r.complete,
    stoppedBy: r.stoppedBy,
    seconds: Number(c.seconds.toFixed(3)),
    schedulesPerSecond: Math.round(c.perSecond),
    shortest: r.shortest ? scheduleJson(r.shortest) : null,
    failures: r.failures.map(scheduleJson),
    ...(c.written ? { out: c.written } : {}),
  };
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

function textReport(r: ExploreResult, c: ReportContext & { file: string; maxSchedules: number }): string {
  const lines = [
    `explore "${c.scenario}" with seed ${c.seed}: up to ${plural(c.faults, "added fault")} (${c.kinds.join(", ")}) among the first ${plural(c.depth, "message")}`,
    `explored ${plural(r.explored, "schedule")} in ${c.seconds.toFixed(2)} s (${Math.round(c.perSecond)} schedules/s): ` +
      r.byLevel.map((n, k) => `${n} with ${plural(k, "fault")}`).join(", ") +
      (r.repeatedTraces > 0 ? `; ${plural(r.repeatedTraces, "run")} repeated an earlier trace` : ""),
  ];
  if (r.stoppedBy === "limit") lines.push(`stopped at ${c.maxSchedules} schedules (--max-schedules): not every schedule within the bounds was run`);
  const s = r.shortest;
  if (!s) {
    lines.push(
      r.complete
        ? `no schedule with up to ${plural(c.faults, "fault")} among the first ${plural(c.depth, "message")} fails a check`
        : "no failing schedule among those run",
    );
    return lines.join("\n") + "\n";
  }
  const k = s.faults.length;
  lines.push(
    k === 0
      ? "FAIL: the scenario fails as written, with no added fault"
      : `FAIL: ${plural(r.failures.length, "schedule")} of ${plural(k, "fault")} fail${r.failures.length === 1 ? "s" : ""} a check${r.stoppedBy === "failure" ? ` (none with fewer; the search stopped there, --all goes on)` : ""}. The shortest:`,
  );
  for (const f of s.faults) lines.push(`  ${f.describe}`);
  for (const ch of s.summary.checks) if (!ch.ok && s.failed.includes(ch.name)) lines.push(`  FAIL  ${ch.name}: ${ch.message ?? ""}`);
  if (r.failures.length > 1) {
    lines.push("others:");
    for (const other of r.failures.slice(1)) lines.push(`  ${other.faults.map((f) => f.describe).join("; ")}  (${other.failed.join(", ")})`);
  }
  if (c.written) lines.push(`written to ${c.written}; replay: npx faultline run ${shellQuote(c.written)}`);
  else lines.push("write it as a scenario with --out OUT.yaml");
  return lines.join("\n") + "\n";
}
