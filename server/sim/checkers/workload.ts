// The checks of a workload's history (docs/programs.md): echo, unique-ids, set-full, counter,
// linearizable, all-complete and latency. They read the operations clients invoked and what they
// got back, never the nodes' state; a failure says why and names the events that show it.

import { nearestRankIndex } from "../metrics/metrics";
import type { History } from "../history/types";
import { historyJson } from "../workloads/history-json";
import { checkLinearizability } from "./linearizability";
import type { OperationHistory } from "../nodes/runtime";
import { formatDuration } from "../scenario/duration";
import type { Check } from "../scenario/types";
import { OUTCOME_FAIL, OUTCOME_OK } from "../trace/kinds";
import type { CheckResult } from "./result";

/** Search steps the linearizable check may take before it gives up (the verdict is then a failure saying so). */
export const LINEARIZABLE_CHECK_STEPS_MAX = 20_000_000;
/** Steps spent shrinking a refuted key to the operations that cannot be ordered. */
export const LINEARIZABLE_SHRINK_STEPS_MAX = 5_000_000;

export interface WorkloadCheckInput {
  history: OperationHistory;
  nodeIds: readonly string[];
}

const ms = (us: number) => formatDuration(Math.round(us));
/** JSON text of a value (elements of sets compare by it); a finite number's is its String, made faster. */
const text = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? "undefined"));
/**
 * A value as sets of read values compare it: equal keys exactly when text() is equal. A finite
 * number is its own key (no string made: reads of a set hold thousands of them), anything else its
 * text; a number and a string never collide in a Set, and text() of a finite number is never the
 * text of another kind of value.
 */
const setKey = (v: unknown): number | string => (typeof v === "number" && Number.isFinite(v) ? v : text(v));

function describeOp(h: WorkloadCheckInput, i: number): string {
  const o = h.history;
  return `operation #${i} (${h.nodeIds[o.client[i]!]} → ${h.nodeIds[o.node[i]!]} ${text(o.input[i])})`;
}

function witnessOf(h: OperationHistory, i: number): number[] {
  return h.completeEvent[i]! >= 0 ? [h.invokeEvent[i]!, h.completeEvent[i]!] : [h.invokeEvent[i]!];
}

function okOps(h: OperationHistory): number[] {
  const out: number[] = [];
  for (let i = 0; i < h.count; i++) if (h.outcome[i] === OUTCOME_OK) out.push(i);
  return out;
}

/**
 * A workload's own check judges the answers; with none that succeeded it would hold by default
 * (an echo program that throws on every request "echoes every answer"). As Maelstrom's checkers
 * do, a history with operations and not one success fails, saying how they ended.
 */
function nothingSucceeded(h: OperationHistory, name: string): CheckResult | null {
  if (h.count === 0) return null;
  let failed = 0;
  for (let i = 0; i < h.count; i++) {
    if (h.outcome[i] === OUTCOME_OK) return null;
    if (h.outcome[i] === OUTCOME_FAIL) failed++;
  }
  const ended = [failed > 0 ? `${failed} failed` : "", h.count - failed > 0 ? `${h.count - failed} indeterminate (no answer, or an error that leaves it open)` : ""].filter(Boolean).join(", ");
  return { name, type: "liveness", ok: false, message: `none of the ${h.count} operations succeeded (${ended}), so there is no answer to check`, witness: witnessOf(h, 0) };
}

export function evaluateWorkloadChecks(input: WorkloadCheckInput, checks: readonly Check[]): CheckResult[] {
  return checks.map((c): CheckResult => {
    const judgesAnswers = c.name === "echo" || c.name === "unique-ids" || c.name === "linearizable";
    const vacuous = judgesAnswers ? nothingSucceeded(input.history, c.name) : null;
    if (vacuous) return vacuous;
    switch (c.name) {
      case "echo":
        return echo(input);
      case "unique-ids":
        return uniqueIds(input);
      case "set-full":
        return setFull(input);
      case "counter":
        return counter(input);
      case "linearizable":
        return linearizable(input);
      case "all-complete":
        return allComplete(input, c.withinUs);
      case "latency":
        return latency(input, c);
      default:
        return { name: c.name, ok: false, message: `${c.name} is not a check of a workload` };
    }
  });
}

function echo(h: WorkloadCheckInput): CheckResult {
  const o = h.history;
  for (const i of okOps(o)) {
    const got = (o.output[i] as { echo?: unknown } | null)?.echo;
    if (text(got) !== text(o.input[i]!.echo)) {
      return { name: "echo", type: "safety", ok: false, message: `${describeOp(h, i)} got back ${text(got)}`, witness: witnessOf(o, i) };
    }
  }
  return { name: "echo", type: "safety", ok: true };
}

function uniqueIds(h: WorkloadCheckInput): CheckResult {
  const o = h.history;
  const first = new Map<string, number>();
  let dupes = 0;
  let witness: number[] | null = null;
  let message = "";
  for (const i of okOps(o)) {
    const id = text((o.output[i] as { id?: unknown } | null)?.id ?? null);
    const prev = first.get(id);
    if (prev === undefined) first.set(id, i);
    else {
      dupes++;
      if (!witness) {
        witness = [o.completeEvent[prev]!, o.completeEvent[i]!];
        message = `id ${id} was given twice: to ${describeOp(h, prev)} and to ${describeOp(h, i)}`;
      }
    }
  }
  if (!witness) return { name: "unique-ids", type: "safety", ok: true };
  return { name: "unique-ids", type: "safety", ok: false, message: dupes > 1 ? `${message} (${dupes} ids given more than once)` : message, witness };
}

interface FinalRead {
  op: number;
  node: string;
  values: Set<number | string> | null;
}

function finalReads(h: WorkloadCheckInput): FinalRead[] {
  const o = h.history;
  const out: FinalRead[] = [];
  for (let i = 0; i < o.count; i++) {
    if (o.input[i]!.final !== true) continue;
    const v = (o.output[i] as { value?: unknown } | null)?.value;
    out.push({ op: i, node: h.nodeIds[o.node[i]!]!, values: o.outcome[i] === OUTCOME_OK && Array.isArray(v) ? new Set(v.map(setKey)) : null });
  }
  return out;
}

/** set-full: every acknowledged element is in every final read; reports lost elements and how long elements took to be visible everywhere. */
function setFull(h: WorkloadCheckInput): CheckResult {
  const o = h.history;
  const base = { name: "set-full", type: "safety" as const };
  const finals = finalReads(h);
  if (finals.length === 0) return { ...base, ok: false, message: "no final read was made (the run stopped before the final phase)" };
  const unanswered = finals.find((f) => f.values === null);
  if (unanswered) return { ...base, ok: false, message: `the final read of ${unanswered.node} got no answer`, witness: witnessOf(o, unanswered.op) };
  const adds = okOps(o).filter((i) => o.input[i]!.op === "add");
  const lost: { element: unknown; op: number; node: string; read: number }[] = [];
  for (const i of adds) {
    const e = setKey(o.input[i]!.element);
    const missing = finals.find((f) => !f.values!.has(e));
    if (missing) lost.push({ element: o.input[i]!.element, op: i, node: missing.node, read: missing.op });
  }
  const stable = visibilityUs(o, adds);
  const summary = stable.length === 0 ? "" : `; visible everywhere after ${ms(stable[nearestRankIndex(stable.length, 50)]!)} (median), ${ms(stable[stable.length - 1]!)} (max)`;
  if (lost.length === 0) return { ...base, ok: true, message: `all ${adds.length} acknowledged elements are in every final read${summary}` };
  const l = lost[0]!;
  return {
    ...base,
    ok: false,
    message: `${lost.length} of ${adds.length} acknowledged elements are missing from a final read; the first, ${text(l.element)} (acknowledged to ${h.nodeIds[o.client[l.op]!]}), is not in ${l.node}'s final read${summary}`,
    witness: [o.completeEvent[l.op]!, o.completeEvent[l.read]!],
  };
}

/** For each acknowledged add: from its invocation until every read invoked after that moment contains it (sorted). */
function visibilityUs(o: OperationHistory, adds: number[]): number[] {
  const reads = okOps(o)
    .filter((i) => o.input[i]!.op === "read" && Array.isArray((o.output[i] as { value?: unknown }).value))
    .map((i) => ({ invoke: o.invokeUs[i]!, complete: o.completeUs[i]!, values: new Set(((o.output[i] as { value: unknown[] }).value).map(setKey)) }))
    .sort((a, b) => a.invoke - b.invoke);
  const out: number[] = [];
  for (const i of adds) {
    const e = setKey(o.input[i]!.element);
    let visibleAt = -1;
    for (let k = reads.length - 1; k >= 0; k--) {
      const r = reads[k]!;
      if (r.invoke < o.invokeUs[i]!) break;
      if (!r.values.has(e)) break;
      visibleAt = r.complete;
    }
    if (visibleAt >= 0) out.push(Math.max(0, visibleAt - o.invokeUs[i]!));
  }
  return out.sort((a, b) => a - b);
}

/** counter: every final read lies between the acknowledged sum and that sum plus the indeterminate adds. */
function counter(h: WorkloadCheckInput): CheckResult {
  const o = h.history;
  const base = { name: "counter", type: "safety" as const };
  let sum = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < o.count; i++) {
    if (o.input[i]!.op !== "add") continue;
    const d = Number(o.input[i]!.delta);
    if (o.outcome[i] === OUTCOME_OK) sum += d;
    else if (o.outcome[i] !== OUTCOME_FAIL) {
      if (d < 0) lo += d;
      else hi += d;
    }
  }
  const finals = [];
  for (let i = 0; i < o.count; i++) if (o.input[i]!.final === true) finals.push(i);
  if (finals.length === 0) return { ...base, ok: false, message: "no final read was made (the run stopped before the final phase)" };
  const range = lo === hi && lo === 0 ? `${sum}` : `between ${sum + lo} and ${sum + hi}`;
  for (const i of finals) {
    const v = (o.output[i] as { value?: unknown } | null)?.value;
    if (o.outcome[i] !== OUTCOME_OK) return { ...base, ok: false, message: `the final read of ${h.nodeIds[o.node[i]!]} got no answer`, witness: witnessOf(o, i) };
    if (typeof v !== "number" || v < sum + lo || v > sum + hi) {
      return { ...base, ok: false, message: `${h.nodeIds[o.node[i]!]}'s final read is ${text(v)}; it must be ${range}`, witness: witnessOf(o, i) };
    }
  }
  return { ...base, ok: true, message: `every final read is ${range}` };
}

/** lin-kv: the client operations, per key, form a linearizable history of a register (docs/histories.md). */
function linearizable(h: WorkloadCheckInput): CheckResult {
  const base = { name: "linearizable", type: "safety" as const };
  const { history, rows } = historyJson(h.history, h.nodeIds, "lin-kv");
  const r = checkLinearizability(history as History, { maxSteps: LINEARIZABLE_CHECK_STEPS_MAX, maxShrinkSteps: LINEARIZABLE_SHRINK_STEPS_MAX });
  if (r.linearizable === true) return { ...base, ok: true, message: `${r.operations} operations on ${r.partitions} key${r.partitions === 1 ? "" : "s"} are linearizable` };
  if (r.linearizable === null) {
    return {
      ...base,
      ok: false,
      message: `the checker gave up (${r.gaveUp?.reason ?? "budget"}) on key ${text(r.gaveUp?.key ?? null)} with ${r.gaveUp?.keyOperations ?? 0} operations: the verdict is unknown`,
    };
  }
  const f = r.failure!;
  const ops = f.operations.map((k) => rows[k]!);
  return {
    ...base,
    ok: false,
    message: `key ${text(f.key)}: ${ops.length === 1 ? "this operation cannot be ordered" : `these ${ops.length} operations cannot be ordered`}: ${ops.map((i) => describeOp(h, i)).join("; ")}`,
    witness: ops.flatMap((i) => witnessOf(h.history, i)),
  };
}

function allComplete(h: WorkloadCheckInput, withinUs: number | null): CheckResult {
  const o = h.history;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < o.count; i++) {
    const late = withinUs !== null && o.outcome[i] === OUTCOME_OK && o.completeUs[i]! - o.invokeUs[i]! > withinUs;
    if (o.outcome[i] !== OUTCOME_OK || late) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad === 0) return { name: "all-complete", type: "liveness", ok: true };
  const why = o.outcome[first] === OUTCOME_FAIL ? `failed: ${text(o.output[first])}` : o.outcome[first] === OUTCOME_OK ? `took ${ms(o.completeUs[first]! - o.invokeUs[first]!)}` : "got no answer (indeterminate)";
  return { name: "all-complete", type: "liveness", ok: false, message: `${bad} of ${o.count} operations did not succeed${withinUs !== null ? ` within ${ms(withinUs)}` : ""}; the first, ${describeOp(h, first)}, ${why}`, witness: witnessOf(o, first) };
}

/** Latencies of the operations that succeeded, ascending, in µs. */
export function operationLatenciesUs(o: OperationHistory): Float64Array {
  const ok = okOps(o);
  return Float64Array.from(ok, (i) => o.completeUs[i]! - o.invokeUs[i]!).sort();
}

function latency(h: WorkloadCheckInput, c: Extract<Check, { name: "latency" }>): CheckResult {
  const sorted = operationLatenciesUs(h.history);
  const n = sorted.length;
  if (n === 0) return { name: "latency", type: "liveness", ok: false, message: "no operation succeeded, so there is no latency to bound" };
  const problems: string[] = [];
  for (const [label, p, limit] of [["p50", 50, c.p50Us], ["p99", 99, c.p99Us], ["max", 100, c.maxUs]] as const) {
    if (limit === null) continue;
    const v = sorted[nearestRankIndex(n, p)]!;
    if (v > limit) problems.push(`${label} latency ${ms(v)} is over the bound ${ms(limit)}`);
  }
  const failed = h.history.count - n;
  const note = `over ${n} operations that succeeded${failed > 0 ? `; ${failed} did not succeed and have no latency` : ""}`;
  if (problems.length === 0) return { name: "latency", type: "liveness", ok: true, message: note };
  return { name: "latency", type: "liveness", ok: false, message: `${problems.join("; ")} (${note})` };
}
