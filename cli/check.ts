// `faultline check FILE`: reads a history, runs the pure linearizability checker in slices of steps
// with a wall-clock limit around it, and prints the verdict (exit 0, 1, 2 invalid, 3 gave up).

import {
  describeKey,
  describeOperation,
  parseHistoryText,
  startLinearizabilityCheck,
  type History,
  type HistoryKey,
  type HistoryProblem,
  type LinearizabilityResult,
} from "../server/sim";

export const EXIT_LINEARIZABLE = 0;
export const EXIT_NOT_LINEARIZABLE = 1;
export const EXIT_INVALID_HISTORY = 2;
export const EXIT_GAVE_UP = 3;

export const CHECK_TIMEOUT_SECONDS_DEFAULT = 60;
export const CHECK_TIMEOUT_SECONDS_MAX = 86_400;
/** Steps between two looks at the clock: a few milliseconds of search. */
const SLICE_STEPS = 50_000;
/** How often the progress line is redrawn on a terminal. */
const PROGRESS_INTERVAL_MS = 250;

export interface CheckOptions {
  json: boolean;
  timeoutSeconds: number;
  /** The wall clock in milliseconds (tests may pass their own). */
  now?: () => number;
}

interface CheckIo {
  out(text: string): void;
  err(text: string): void;
  interactive: boolean;
}

/** Checks the history in `text` (read from `file`) and returns the exit code. */
export function checkHistoryFile(file: string, text: string, options: CheckOptions, io: CheckIo): number {
  const parsed = parseHistoryText(text);
  if (!parsed.ok) {
    const n = parsed.problems.length;
    io.err(`${file}: not a valid history (${n} problem${n === 1 ? "" : "s"})\n`);
    for (const p of parsed.problems) io.err(formatHistoryProblem(file, p) + "\n");
    if (options.json) io.out(JSON.stringify({ linearizable: null, valid: false, problems: parsed.problems }, null, 2) + "\n");
    return EXIT_INVALID_HISTORY;
  }
  const history = parsed.history;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const deadline = started + options.timeoutSeconds * 1000;
  // The clock only decides when to stop; the search itself is the pure library's, counted in steps.
  const check = startLinearizabilityCheck(history, { maxSteps: Infinity });
  let result: LinearizabilityResult | null = null;
  let timedOut = false;
  let lastDraw = started;
  while (!result) {
    result = check.advance(SLICE_STEPS);
    if (result) break;
    const t = now();
    if (t >= deadline) {
      timedOut = true;
      result = check.stop();
      break;
    }
    if (io.interactive && !options.json && t - lastDraw >= PROGRESS_INTERVAL_MS) {
      lastDraw = t;
      io.err(`\rchecking: ${(check.steps / 1e6).toFixed(1)} M steps, ${((t - started) / 1000).toFixed(0)} s of ${options.timeoutSeconds} s`);
    }
  }
  if (io.interactive && !options.json && lastDraw !== started) io.err("\r\x1b[K");
  const seconds = (now() - started) / 1000;
  if (options.json) {
    const gaveUp = result.gaveUp && timedOut ? { ...result.gaveUp, reason: "timeout", timeoutSeconds: options.timeoutSeconds } : result.gaveUp;
    io.out(JSON.stringify({ ...result, gaveUp, seconds: Number(seconds.toFixed(3)) }, null, 2) + "\n");
  } else {
    io.out(formatResult(file, history, result, { seconds, timedOut, timeoutSeconds: options.timeoutSeconds }));
  }
  if (result.linearizable === true) return EXIT_LINEARIZABLE;
  if (result.linearizable === false) return EXIT_NOT_LINEARIZABLE;
  return EXIT_GAVE_UP;
}

/** "history.json:3:5: message" for syntax errors, "history.json: operations[2].input.op: message" otherwise. */
export function formatHistoryProblem(file: string, p: HistoryProblem): string {
  const where = p.line !== undefined ? `${file}:${p.line}:${p.column ?? 1}: ` : `${file}: `;
  return where + (p.path ? `${p.path}: ${p.message}` : p.message);
}

const plural = (n: number, what: string) => `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
const keyName = (key: HistoryKey | null) => (key === null ? "the default key" : `key ${describeKey(key)}`);

function formatResult(
  file: string,
  history: History,
  r: LinearizabilityResult,
  run: { seconds: number; timedOut: boolean; timeoutSeconds: number },
): string {
  const what = `${r.model} model, ${plural(r.operations, "operation")}, ${plural(r.partitions, "key")}`;
  const time = `${run.seconds.toFixed(2)} s`;
  const lines: string[] = [];
  if (r.linearizable === true) {
    lines.push(`${file}: linearizable (${what}; ${plural(r.steps, "step")}, ${time})`);
  } else if (r.linearizable === false && r.failure) {
    const f = r.failure;
    lines.push(`${file}: not linearizable (${what})`);
    lines.push(
      `${keyName(f.key)}: these ${f.operations.length} of its ${plural(f.keyOperations, "operation")} cannot be ordered` +
        (f.minimal ? " (weakening any one of them would let the rest be ordered):" : ":"),
    );
    const width = String(Math.max(...f.operations)).length + 1;
    for (const i of f.operations) {
      const op = history.operations[i]!;
      const span = `[${op.call}, ${op.return ?? "…"}]`;
      lines.push(`  ${`#${i}`.padEnd(width)}  client ${String(op.client).padEnd(4)} ${span.padEnd(14)} ${describeOperation(op)}`);
    }
    if (f.keyOperations > f.operations.length) {
      lines.push("(whatever the other operations on that key returned, and even if some of them never took effect)");
    }
    if (!f.minimal) {
      lines.push(run.timedOut ? `(not shrunk to a minimal set: the time limit, ${run.timeoutSeconds} s, came first)` : "(not shrunk to a minimal set: shrinking ran out of steps)");
    }
    const before = r.partitionsChecked > 0 ? ` (${plural(r.partitionsChecked, "smaller key")} linearizable first)` : "";
    lines.push(`${plural(r.steps, "step")} to the verdict${before}, ${plural(f.shrinkSteps, "step")} shrinking, ${time}`);
  } else {
    const g = r.gaveUp;
    const where = g ? ` checking ${keyName(g.key)} (${plural(g.keyOperations, "operation")})` : "";
    const why =
      g?.reason === "memory"
        ? "the search needed more memory than its limit"
        : run.timedOut
          ? `the time limit, ${run.timeoutSeconds} s, came first (--timeout)`
          : "the step budget ran out";
    lines.push(`${file}: gave up${where}: ${why}`);
    lines.push(`${r.partitionsChecked} of ${plural(r.partitions, "key")} linearizable before that; ${plural(r.steps, "step")}, ${time}`);
  }
  return lines.join("\n") + "\n";
}
