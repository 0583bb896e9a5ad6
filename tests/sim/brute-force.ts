// A brute-force linearizability checker for the tests: the definition written out as plainly as
// possible (every order consistent with real time), independent of the checker's code.

import type { History, HistoryOperation } from "@/server/sim";

type State = string; // JSON of the register's value, or the kv text

/** The state after `op` from `s`, or null when its output says it cannot happen in `s`. */
function apply(model: History["model"], s: State, op: HistoryOperation): State | null {
  const input = op.input as { op: string; value?: unknown; from?: unknown; to?: unknown };
  const out = op.output as { value?: unknown; ok?: boolean } | null;
  if (model === "register") {
    switch (input.op) {
      case "read":
        return out === null || JSON.stringify(out.value) === s ? s : null;
      case "write":
        return JSON.stringify(input.value);
      default: {
        const matches = JSON.stringify(input.from) === s;
        if (out !== null && out.ok !== matches) return null;
        return matches ? JSON.stringify(input.to) : s;
      }
    }
  }
  switch (input.op) {
    case "get":
      return out === null || out.value === s ? s : null;
    case "put":
      return input.value as string;
    default:
      return s + (input.value as string);
  }
}

/** How each operation takes part: as recorded, or weakened (once between its call and return, any output, or not at all). */
export type Role = "recorded" | "weakened";

/**
 * Whether the operations of one key can be ordered: every order that respects real time (a before
 * b when a returned before b was called), those that never returned optionally left out. A weakened
 * operation is tried both ways: left out, and kept with its output forgotten.
 */
export function bruteForceLinearizable(model: History["model"], ops: readonly HistoryOperation[], roles?: readonly Role[]): boolean {
  const weakened = ops.map((_, i) => i).filter((i) => roles?.[i] === "weakened");
  for (let mask = 0; mask < 1 << weakened.length; mask++) {
    const kept = ops.flatMap((op, i) => {
      const w = weakened.indexOf(i);
      if (w < 0) return [op];
      return mask & (1 << w) ? [{ ...op, output: null }] : [];
    });
    if (orderExists(model, kept)) return true;
  }
  return false;
}

/** Tries every order of `ops` that respects real time, placing each operation once (those that never returned: once or not at all). */
function orderExists(model: History["model"], ops: readonly HistoryOperation[]): boolean {
  const ret = (i: number) => ops[i]!.return ?? Infinity;
  const placed = new Set<number>();
  const search = (state: State): boolean => {
    const remaining = ops.map((_, i) => i).filter((i) => !placed.has(i));
    if (remaining.every((i) => ops[i]!.return === null)) return true;
    for (const i of remaining) {
      // i can go next if no remaining operation returned before i was called.
      if (remaining.some((j) => j !== i && ret(j) < ops[i]!.call)) continue;
      const next = apply(model, state, ops[i]!);
      if (next === null) continue;
      placed.add(i);
      const ok = search(next);
      placed.delete(i);
      if (ok) return true;
    }
    // Leaving out an operation that never returned is covered: the search stops as soon as only
    // such operations remain, and none of them is ever needed before another can be placed.
    return false;
  };
  return search(model === "register" ? "null" : "");
}
