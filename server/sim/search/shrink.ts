// Shrinking a failing run: the smallest scenario we can find, under a step budget, that still fails
// the same check with the same seed. Pure: every step re-runs the simulator (docs/search.md).
//
// Order of the passes, each keeping a change only when the check still fails: expand the random
// nemesis; delta-debug the fault list (ddmin, then one-by-one); shorten each fault's window, then
// move it earlier; narrow a message fault to a single message (nth); set probabilities to 0 or 1;
// shorten the workload.

import { expandRandomFaults } from "../faults/random";
import { runScenario, type RunOptions, type RunSummary } from "../run";
import type { Fault, NodeWorkload, Scenario, Workload } from "../scenario/types";

/** Steps (runs of the simulator) a shrink may take unless told otherwise. */
export const SHRINK_DEFAULT_STEPS = 300;
/** The most steps anyone may ask for. */
export const SHRINK_MAX_STEPS = 5000;
/** A message fault is narrowed to one of its first this many matching messages. */
const NTH_TRIES_MAX = 8;
/** Halvings of one window tried from each side. */
const WINDOW_HALVINGS_MAX = 6;
/** Moves of one window towards the start tried (all the way, then by halves of the distance). */
const WINDOW_MOVES_MAX = 4;
/** A window or a workload is not shortened below this. */
const MIN_SPAN_US = 1000;

export type ShrinkPhase = "start" | "faults" | "windows" | "messages" | "probabilities" | "workload" | "done";

export interface ShrinkProgress {
  phase: ShrinkPhase;
  step: number;
  budget: number;
  faults: number;
}

export interface ShrinkOptions {
  seed: number;
  /** The check that must keep failing; default: the first check the run fails. */
  check?: string;
  /** Runs of the simulator at most (default SHRINK_DEFAULT_STEPS). */
  maxSteps?: number;
  onProgress?: (p: ShrinkProgress) => void;
  /** Passed to every run (programs, sha256). The trace is never recorded while shrinking. */
  runOptions?: Omit<RunOptions, "seed" | "recordTrace" | "onProgress">;
}

export interface ShrinkCounts {
  faults: number;
  events: number;
}

export type ShrinkResult =
  | { failing: false; check: string | null; summary: RunSummary; steps: number }
  | {
      failing: true;
      check: string;
      /** The smallest failing scenario found: random expanded, every fault plain. */
      scenario: Scenario;
      before: ShrinkCounts;
      after: ShrinkCounts;
      steps: number;
      /** True when the budget ran out before every pass was done. */
      exhausted: boolean;
      /** Indices into the original workload of the entries kept (request-response only drops entries). */
      workloadKept: number[];
    };

class BudgetExhausted extends Error {}

export function shrinkScenario(original: Scenario, opts: ShrinkOptions): ShrinkResult {
  const budget = Math.max(1, Math.min(opts.maxSteps ?? SHRINK_DEFAULT_STEPS, SHRINK_MAX_STEPS));
  const seed = opts.seed;
  let steps = 0;
  let phase: ShrinkPhase = "start";
  const run = (s: Scenario): RunSummary => {
    if (steps >= budget) throw new BudgetExhausted();
    steps++;
    return runScenario(s, { ...opts.runOptions, seed, recordTrace: false }).summary;
  };
  const first = run(original);
  const check = opts.check ?? first.checks.find((c) => !c.ok)?.name ?? null;
  if (check === null || first.checks.find((c) => c.name === check)?.ok !== false) {
    return { failing: false, check, summary: first, steps };
  }
  const expanded = expandRandomFaults(original, seed);
  const before: ShrinkCounts = { faults: expanded.faults.length, events: first.events };

  // The current best: a failing scenario and its events; `tagged` remembers each workload entry's origin.
  let best = expanded;
  let bestEvents = first.events;
  let kept = expanded.workload.map((_, i) => i);
  const report = () => opts.onProgress?.({ phase, step: steps, budget, faults: best.faults.length });
  const fails = (s: Scenario): boolean => {
    const summary = run(s);
    const failed = summary.checks.some((c) => c.name === check && !c.ok);
    if (failed) bestEvents = summary.events;
    report();
    return failed;
  };
  /** Keeps `faults` when the check still fails with them (and, when `noLonger`, the run has no more events). */
  const tryFaults = (faults: Fault[], noLonger = false) => {
    const s = { ...best, faults };
    const eventsBefore = bestEvents;
    if (!fails(s)) return false;
    if (noLonger && bestEvents > eventsBefore) {
      bestEvents = eventsBefore;
      return false;
    }
    best = s;
    return true;
  };

  let exhausted = false;
  try {
    phase = "faults";
    report();
    if (best.faults.length > 0 && !tryFaults([])) {
      best = { ...best, faults: ddmin(best.faults, (subset) => fails({ ...best, faults: subset })) };
      for (let i = best.faults.length - 1; i >= 0 && best.faults.length > 1; i--) tryFaults(best.faults.filter((_, j) => j !== i));
    }

    phase = "windows";
    for (let i = 0; i < best.faults.length; i++) {
      shortenWindow(i);
      moveWindowEarlier(i);
    }

    phase = "messages";
    for (let i = 0; i < best.faults.length; i++) {
      const f = best.faults[i]!;
      if ((f.kind !== "drop" && f.kind !== "delay" && f.kind !== "duplicate") || f.match.nth !== null) continue;
      for (let nth = 1; nth <= NTH_TRIES_MAX; nth++) if (tryFaults(replace(best.faults, i, { ...f, match: { ...f.match, nth } }))) break;
    }

    phase = "probabilities";
    for (let i = 0; i < best.faults.length; i++) {
      const f = best.faults[i]!;
      if (f.kind === "drop" && f.probability > 0 && f.probability < 1) tryFaults(replace(best.faults, i, { ...f, probability: 1 }));
    }
    for (const field of ["loss", "duplicate"] as const) {
      if (best.network[field] > 0) {
        const s = { ...best, network: { ...best.network, [field]: 0 } };
        if (fails(s)) best = s;
      }
    }

    phase = "workload";
    shrinkWorkload();
  } catch (err) {
    if (!(err instanceof BudgetExhausted)) throw err;
    exhausted = true;
  }
  phase = "done";
  report();
  return { failing: true, check, scenario: best, before, after: { faults: best.faults.length, events: bestEvents }, steps, exhausted, workloadKept: kept };

  /** Halves a fault's window from its end, then from its start, while the check still fails. */
  function shortenWindow(i: number): void {
    for (let k = 0; k < WINDOW_HALVINGS_MAX; k++) {
      const f = best.faults[i]!;
      if (f.kind === "crash") {
        if (f.restartUs === null || f.restartUs <= MIN_SPAN_US) return;
        if (!tryFaults(replace(best.faults, i, { ...f, restartUs: Math.max(MIN_SPAN_US, roundMs(f.restartUs / 2)) }))) return;
        continue;
      }
      if (!("fromUs" in f)) return;
      const untilUs = f.untilUs ?? best.untilUs;
      const span = untilUs - f.fromUs;
      if (span <= MIN_SPAN_US) return;
      const half = roundMs(span / 2);
      if (half < MIN_SPAN_US) return;
      if (tryFaults(replace(best.faults, i, { ...f, untilUs: f.fromUs + half } as Fault))) continue;
      if (tryFaults(replace(best.faults, i, { ...f, fromUs: untilUs - half, untilUs } as Fault))) continue;
      return;
    }
  }

  /**
   * Slides a fault's window (a crash: its time, with its restart) earlier, keeping its length,
   * while the check still fails and the run gets no longer: first to the start of the run, then by
   * half the distance tried, in whole milliseconds. An earlier failure is a shorter story to read,
   * and often lets the workload shrink further.
   */
  function moveWindowEarlier(i: number): void {
    let stepUs = Infinity;
    for (let k = 0; k < WINDOW_MOVES_MAX; k++) {
      const f = best.faults[i]!;
      if (f.kind !== "crash" && !("fromUs" in f)) return;
      const startUs = f.kind === "crash" ? f.atUs : f.fromUs;
      const d = Math.floor(Math.min(stepUs, startUs) / 1000) * 1000;
      if (d < MIN_SPAN_US) return;
      const moved = f.kind === "crash" ? { ...f, atUs: f.atUs - d } : ({ ...f, fromUs: f.fromUs - d, untilUs: (f.untilUs ?? best.untilUs) - d } as Fault);
      // Moved: try again from there by the same distance (capped at the start); not: by half of it.
      if (!tryFaults(replace(best.faults, i, moved), true)) stepUs = d / 2;
    }
  }

  function shrinkWorkload(): void {
    if (best.protocol.kind === "request-response") {
      // Drop whole entries (one at a time), then halve the open-loop counts.
      for (let i = best.workload.length - 1; i >= 0 && best.workload.length > 1; i--) {
        const s = { ...best, workload: best.workload.filter((_, j) => j !== i) };
        if (fails(s)) {
          best = s;
          kept = kept.filter((_, j) => j !== i);
        }
      }
      for (let i = 0; i < best.workload.length; i++) {
        for (;;) {
          const w = best.workload[i]!;
          if (w.kind !== "open-loop" || w.count <= 1) break;
          const s = { ...best, workload: replaceWorkload(best.workload, i, { ...w, count: Math.floor(w.count / 2) }) };
          if (!fails(s)) break;
          best = s;
        }
      }
      return;
    }
    for (let i = 0; i < best.workload.length; i++) {
      for (let k = 0; k < WINDOW_HALVINGS_MAX; k++) {
        const w = best.workload[i] as NodeWorkload;
        const durationUs = roundMs(w.durationUs / 2);
        if (durationUs < MIN_SPAN_US) break;
        const s = { ...best, workload: replaceWorkload(best.workload, i, { ...w, durationUs }) };
        if (!fails(s)) break;
        best = s;
      }
    }
  }
}

/**
 * Zeller's ddmin: a subset of `items` on which `test` still holds, 1-minimal with respect to the
 * chunks it tried. `test` is never asked about the empty list (the caller tried it first).
 */
export function ddmin<T>(items: T[], test: (subset: T[]) => boolean): T[] {
  let current = items;
  let n = 2;
  while (current.length >= 2) {
    const chunk = Math.ceil(current.length / n);
    const chunks: T[][] = [];
    for (let i = 0; i < current.length; i += chunk) chunks.push(current.slice(i, i + chunk));
    let reduced = false;
    for (const c of chunks) {
      if (c.length < current.length && test(c)) {
        current = c;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && chunks.length > 2) {
      for (let i = 0; i < chunks.length; i++) {
        const complement = chunks.filter((_, j) => j !== i).flat();
        if (test(complement)) {
          current = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(current.length, n * 2);
    }
  }
  return current;
}

function replace(faults: Fault[], i: number, f: Fault): Fault[] {
  return faults.map((x, j) => (j === i ? f : x));
}

function replaceWorkload(list: Workload[], i: number, w: Workload): Workload[] {
  return list.map((x, j) => (j === i ? w : x));
}

function roundMs(us: number): number {
  return Math.max(1000, Math.round(us / 1000) * 1000);
}
