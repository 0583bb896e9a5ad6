// The linearizability checker: each key on its own, smallest first, stopping at the first key that
// cannot be linearized, then shrinking that key to a minimal set of operations that cannot be ordered.

import { CHECK_LIMITS } from "../history/limits";
import { partitionByKey, type KeyHistory } from "../history/partition";
import type { History, HistoryKey, HistoryModel } from "../history/types";
import { LinearizabilitySearch, type SearchOutcome, type StepMeter } from "./linearizability-search";

export interface LinearizabilityOptions {
  /** Search steps the verdict may take (default CHECK_LIMITS.DEFAULT_CHECK_STEPS; Infinity for no
   *  limit); past it the verdict is null. Steps are counted, not timed, so the answer is the same
   *  on every machine. */
  maxSteps?: number;
  /** Search steps for shrinking a refuted key to a minimal failing set (default
   *  CHECK_LIMITS.DEFAULT_SHRINK_STEPS; 0 reports the key's operations unshrunk). */
  maxShrinkSteps?: number;
  /** Memory for one search's memo and model states, in bytes (at most CHECK_LIMITS.MAX_MEMO_BYTES). */
  maxMemoBytes?: number;
}

export interface LinearizabilityFailure {
  /** The key that cannot be linearized; null for the default key. */
  key: HistoryKey | null;
  /** How many operations that key has. */
  keyOperations: number;
  /** Operations that cannot be ordered, as indices in `history.operations`, ascending. */
  operations: number[];
  /** True when removing any one of `operations` leaves a linearizable history (a smaller set may
   *  still exist elsewhere); false when shrinking ran out of steps first. */
  minimal: boolean;
  /** Search steps spent shrinking. */
  shrinkSteps: number;
}

export interface LinearizabilityGiveUp {
  /** `steps`: the step budget ran out; `memory`: the memo reached maxMemoBytes; `stopped`: the caller stopped. */
  reason: "steps" | "memory" | "stopped";
  /** The key being checked then (null: the default key). */
  key: HistoryKey | null;
  keyOperations: number;
}

export interface LinearizabilityResult {
  /** True: linearizable; false: not (see `failure`); null: unknown (see `gaveUp`). */
  linearizable: boolean | null;
  model: HistoryModel;
  operations: number;
  /** Keys in the history (each is checked on its own). */
  partitions: number;
  /** Keys found linearizable before the verdict (all of them when linearizable). */
  partitionsChecked: number;
  /** Search steps taken to reach the verdict (shrinking not included). */
  steps: number;
  failure: LinearizabilityFailure | null;
  gaveUp: LinearizabilityGiveUp | null;
}

/** A check that runs in slices: advance() by some steps at a time, stop() when out of patience. */
export interface LinearizabilityCheck {
  /** Runs at most `steps` more steps; the result when finished, else null. */
  advance(steps: number): LinearizabilityResult | null;
  /** Gives up now: the result so far (null verdict, or a failure whose set is not yet minimal). */
  stop(): LinearizabilityResult;
  /** Steps taken so far, verdict and shrinking together. */
  readonly steps: number;
}

type Base = Pick<LinearizabilityResult, "model" | "operations" | "partitions">;

/** A result with its fields in one order, the verdict first (as `faultline check --json` prints it). */
function resultOf(
  linearizable: boolean | null,
  base: Base,
  rest: Pick<LinearizabilityResult, "partitionsChecked" | "steps"> & Partial<Pick<LinearizabilityResult, "failure" | "gaveUp">>,
): LinearizabilityResult {
  return {
    linearizable,
    model: base.model,
    operations: base.operations,
    partitions: base.partitions,
    partitionsChecked: rest.partitionsChecked,
    steps: rest.steps,
    failure: rest.failure ?? null,
    gaveUp: rest.gaveUp ?? null,
  };
}

/** Checks `history` to the end of its step budgets. */
export function checkLinearizability(history: History, options: LinearizabilityOptions = {}): LinearizabilityResult {
  const check = startLinearizabilityCheck(history, options);
  for (;;) {
    const r = check.advance(Infinity);
    if (r) return r;
  }
}

interface Progress {
  checked: number;
  key: KeyHistory | null;
  verdictSteps: number;
  /** While shrinking: the smallest failing subset found so far (indices in the key). */
  best: number[] | null;
}

/** Starts a check that advance() runs; nothing is searched until then. */
export function startLinearizabilityCheck(history: History, options: LinearizabilityOptions = {}): LinearizabilityCheck {
  const budget = {
    maxSteps: nonNegative(options.maxSteps, CHECK_LIMITS.DEFAULT_CHECK_STEPS),
    maxShrinkSteps: nonNegative(options.maxShrinkSteps, CHECK_LIMITS.DEFAULT_SHRINK_STEPS),
    maxMemoBytes: Math.min(nonNegative(options.maxMemoBytes, CHECK_LIMITS.MAX_MEMO_BYTES), CHECK_LIMITS.MAX_MEMO_BYTES),
  };
  const keys = partitionByKey(history);
  const meter: StepMeter & { sliceEnd: number } = { steps: 0, limit: 0, sliceEnd: 0 };
  const progress: Progress = { checked: 0, key: null, verdictSteps: 0, best: null };
  const base: Base = { model: history.model, operations: history.operations.length, partitions: keys.length };
  const run = checkKeys(keys, budget, meter, progress, base);
  let result: LinearizabilityResult | null = null;
  return {
    advance(steps: number): LinearizabilityResult | null {
      if (result) return result;
      meter.sliceEnd = meter.steps + Math.max(0, steps);
      const r = run.next();
      if (r.done) result = r.value;
      return result;
    },
    stop(): LinearizabilityResult {
      if (result) return result;
      const key = progress.key;
      if (progress.best && key) {
        result = resultOf(false, base, {
          partitionsChecked: progress.checked,
          steps: progress.verdictSteps,
          failure: failureOf(key, progress.best, false, meter.steps - progress.verdictSteps),
        });
      } else {
        result = resultOf(null, base, {
          partitionsChecked: progress.checked,
          steps: meter.steps,
          gaveUp: { reason: "stopped", key: key?.key ?? null, keyOperations: key?.indices.length ?? 0 },
        });
      }
      return result;
    },
    get steps() {
      return meter.steps;
    },
  };
}

function nonNegative(v: number | undefined, fallback: number): number {
  return typeof v === "number" && v >= 0 ? v : fallback;
}

function failureOf(key: KeyHistory, subset: readonly number[], minimal: boolean, shrinkSteps: number): LinearizabilityFailure {
  return {
    key: key.key,
    keyOperations: key.indices.length,
    operations: subset.map((j) => key.indices[j]!).sort((a, b) => a - b),
    minimal,
    shrinkSteps,
  };
}

type Budget = { maxSteps: number; maxShrinkSteps: number; maxMemoBytes: number };
type Meter = StepMeter & { sliceEnd: number };

/** Runs `search` until it has an outcome, pausing (yield) at each slice's end; "budget" at `budgetEnd`. */
function* runSearch(search: LinearizabilitySearch, meter: Meter, budgetEnd: number): Generator<void, SearchOutcome | "budget"> {
  for (;;) {
    meter.limit = Math.min(meter.sliceEnd, budgetEnd);
    const outcome = search.run(meter);
    if (outcome !== null) return outcome;
    if (meter.steps >= budgetEnd) return "budget";
    yield;
  }
}

function* checkKeys(
  keys: KeyHistory[],
  budget: Budget,
  meter: Meter,
  progress: Progress,
  base: Base,
): Generator<void, LinearizabilityResult> {
  // Smallest keys first: a refutation in a small key is cheap, and it ends the whole check.
  const order = keys.map((_, i) => i).sort((a, b) => keys[a]!.indices.length - keys[b]!.indices.length || a - b);
  // First, without searching (about n log n): operations no order can satisfy whatever the others
  // did, such as a read of a value nothing writes, are the answer, in whichever key they are.
  for (const i of order) {
    const key = keys[i]!;
    const found = key.machine.contradiction(key.call, key.ret);
    if (found) {
      // The contradiction may name more than needed (a write that could not have helped anyway):
      // shrink it like any refuted set, weakening the rest.
      progress.key = key;
      progress.verdictSteps = meter.steps;
      progress.best = found;
      const shrunk = yield* shrink(key, found, budget, meter, progress);
      return resultOf(false, base, { partitionsChecked: 0, steps: 0, failure: failureOf(key, shrunk.subset, shrunk.minimal, meter.steps - progress.verdictSteps) });
    }
  }
  for (const i of order) {
    const key = keys[i]!;
    progress.key = key;
    const all = key.indices.map((_, j) => j);
    const outcome = yield* runSearch(new LinearizabilitySearch(key, all, budget.maxMemoBytes), meter, budget.maxSteps);
    if (outcome === "linearizable") {
      progress.checked++;
      continue;
    }
    if (outcome !== "refuted") {
      const reason = outcome === "budget" ? "steps" : "memory";
      return resultOf(null, base, {
        partitionsChecked: progress.checked,
        steps: meter.steps,
        gaveUp: { reason, key: key.key, keyOperations: key.indices.length },
      });
    }
    progress.verdictSteps = meter.steps;
    progress.best = all;
    const shrunk = yield* shrink(key, all, budget, meter, progress);
    return resultOf(false, base, {
      partitionsChecked: progress.checked,
      steps: progress.verdictSteps,
      failure: failureOf(key, shrunk.subset, shrunk.minimal, meter.steps - progress.verdictSteps),
    });
  }
  return resultOf(true, base, { partitionsChecked: progress.checked, steps: meter.steps });
}

/**
 * Shrinks a refuted key to a minimal set of operations that cannot be ordered. The operations
 * outside the set are not removed but weakened: each may have taken effect once between its call
 * and its return, with any output, or not at all. (Removing them instead could blame a read for a
 * write that was only left out.) Weakening more operations only adds linearizations, so chunks are
 * weakened while the rest stays refuted (delta debugging): halves first, then quarters, down to
 * single operations; after the pass over single operations, none can be weakened without the rest
 * becoming linearizable. Operations that never returned are as weak as they can be already.
 *
 * Reads (and failed cas) are weakened first, writes after: of two explanations, "read 1 after the
 * write of 2 ended" and "one reader saw 2, a later one 1", the one with the write is kept.
 */
function* shrink(
  key: KeyHistory,
  start: number[],
  budget: Budget,
  meter: Meter,
  progress: Progress,
): Generator<void, { subset: number[]; minimal: boolean }> {
  const budgetEnd = progress.verdictSteps + budget.maxShrinkSteps;
  const pending = start.filter((j) => key.ret[j] === Infinity);
  const returned = start.filter((j) => key.ret[j] !== Infinity);
  const reads = returned.filter((j) => key.machine.keepsState(j));
  const writes = returned.filter((j) => !key.machine.keepsState(j));
  progress.best = returned;
  const r = yield* weakenWhileRefuted(key, reads, writes.concat(pending), budget, meter, budgetEnd, progress);
  if (!r.minimal) return { subset: r.kept.concat(writes).sort((a, b) => a - b), minimal: false };
  const w = yield* weakenWhileRefuted(key, writes, r.kept.concat(pending), budget, meter, budgetEnd, progress);
  return { subset: w.kept.concat(r.kept).sort((a, b) => a - b), minimal: w.minimal };
}

/** Delta debugging over `candidates`, with `fixed` operations always as recorded. */
function* weakenWhileRefuted(
  key: KeyHistory,
  candidates: number[],
  fixed: number[],
  budget: Budget,
  meter: Meter,
  budgetEnd: number,
  progress: Progress,
): Generator<void, { kept: number[]; minimal: boolean }> {
  const fixedReturned = fixed.filter((j) => key.ret[j] !== Infinity);
  let current = candidates;
  let chunk = Math.ceil(current.length / 2);
  while (current.length > 0) {
    for (let from = 0; from < current.length; ) {
      const to = Math.min(from + chunk, current.length);
      const candidate = current.slice(0, from).concat(current.slice(to));
      if (candidate.length + fixedReturned.length === 0) {
        from = to; // nothing left that returned: trivially linearizable
        continue;
      }
      const tracked = candidate.concat(fixed);
      const search = new LinearizabilitySearch(key, tracked, budget.maxMemoBytes, complement(key.indices.length, tracked));
      const outcome = yield* runSearch(search, meter, budgetEnd);
      if (outcome === "refuted") {
        current = candidate;
        progress.best = current.concat(fixedReturned);
      } else if (outcome === "linearizable") {
        from = to;
      } else {
        return { kept: current, minimal: false };
      }
    }
    if (chunk === 1) break;
    chunk = Math.max(1, Math.min(Math.ceil(chunk / 2), Math.ceil(current.length / 2)));
  }
  return { kept: current, minimal: true };
}

/** The indices 0..n-1 not in `set`. */
function complement(n: number, set: readonly number[]): number[] {
  const member = new Uint8Array(n);
  for (const i of set) member[i] = 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (member[i] === 0) out.push(i);
  return out;
}
