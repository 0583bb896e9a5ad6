// A brute-force linearizability checker for the tests: the definition written out as plainly as
// possible (every order consistent with real time), independent of the checker's code.

import type { History, HistoryOperation } from "@/server/sim";

type State = string; // JSON of the register's value, or the kv text

/** The state after `op` from `s` checking its output (null: not possible), or ignoring it. */
function apply(model: History["model"], s: State, op: HistoryOperation, checkOutput: boolean): State | null {
  const input = op.input as { op: string; value?: unknown; from?: unknown; to?: unknown };
  const out = checkOutput ? (op.output as { value?: unknown; ok?: boolean } | null) : null;
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

/** How each operation takes part: as recorded, or weakened (any number of times after its call, any output). */
export type Role = "recorded" | "weakened";

/**
 * Whether the operations of one key can be ordered: every order of the recorded ones that respects
 * real time (a before b when a returned before b was called), those that never returned optionally
 * left out. Weakened operations may act, any number of times, between two recorded ones once every
 * operation that returned before their call is placed; their closure is computed over states.
 */
export function bruteForceLinearizable(model: History["model"], ops: readonly HistoryOperation[], roles?: readonly Role[]): boolean {
  const recorded = ops.map((_, i) => i).filter((i) => (roles?.[i] ?? "recorded") === "recorded");
  const weakened = ops.map((_, i) => i).filter((i) => roles?.[i] === "weakened");
  const ret = (i: number) => ops[i]!.return ?? Infinity;
  const initial: State = model === "register" ? "null" : "";
  // Weakened appends could grow a text forever; past the longest text any get returned, texts are
  // told apart by any get (and appends keep them long), so they all become one state, "\u0000".
  const seen = ops.map((o) => (o.output as { value?: unknown } | null)?.value).filter((v): v is string => typeof v === "string");
  const longest = Math.max(0, ...seen.map((v) => v.length));
  const cut = (t: State) => (model === "kv" && (t.length > longest || t.startsWith("\u0000")) ? "\u0000" : t);
  const closure = (states: Set<State>, placed: Set<number>): Set<State> => {
    const usable = weakened.filter((w) => recorded.every((r) => placed.has(r) || !(ret(r) < ops[w]!.call)));
    const out = new Set(states);
    const todo = [...states];
    while (todo.length > 0) {
      const s = todo.pop()!;
      for (const w of usable) {
        const t = cut(apply(model, s, ops[w]!, false)!);
        if (!out.has(t)) {
          out.add(t);
          todo.push(t);
        }
      }
    }
    return out;
  };
  const placed = new Set<number>();
  const search = (states: Set<State>): boolean => {
    const remaining = recorded.filter((i) => !placed.has(i));
    if (remaining.every((i) => ops[i]!.return === null)) return true;
    for (const i of remaining) {
      // i can go next if no remaining operation returned before i was called.
      if (remaining.some((j) => j !== i && ret(j) < ops[i]!.call)) continue;
      const next = new Set<State>();
      for (const s of states) {
        const t = apply(model, s, ops[i]!, true);
        if (t !== null) next.add(cut(t));
      }
      if (next.size === 0) continue;
      placed.add(i);
      const ok = search(closure(next, placed));
      placed.delete(i);
      if (ok) return true;
    }
    // Operations that never returned may also be left out: covered above, since the search stops
    // as soon as only such operations remain, and skipping one is the same as placing none of it.
    return false;
  };
  return search(closure(new Set([initial]), placed));
}
