// A history split by key: linearizability is compositional (Herlihy & Wing), so each key's
// operations are checked on their own, with the model and the call and return times they need.

import { KvMachine } from "./kv-model";
import type { ModelMachine } from "./models";
import { RegisterMachine } from "./register-model";
import type { History, HistoryKey, KvOperation, RegisterOperation } from "./types";

/** One key's operations, ready for the search. */
export interface KeyHistory {
  /** The key; null for operations that give none (the one default key). */
  key: HistoryKey | null;
  /** Where each of this key's operations is in `history.operations`, ascending. */
  indices: number[];
  /** Call time of each operation (by its index in this key). */
  call: Float64Array;
  /** Return time of each operation; Infinity when it never returned. */
  ret: Float64Array;
  machine: ModelMachine;
}

/** The history's keys in the order each first appears. */
export function partitionByKey(history: History): KeyHistory[] {
  const groups = new Map<string, { key: HistoryKey | null; indices: number[] }>();
  const operations = history.operations;
  for (let i = 0; i < operations.length; i++) {
    const key = operations[i]!.input.key;
    // Typed names tell 1 from "1"; "" names the default key.
    const id = key === undefined ? "" : typeof key === "string" ? "s" + key : "n" + key;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key: key ?? null, indices: [] }));
    g.indices.push(i);
  }
  return [...groups.values()].map(({ key, indices }) => {
    const ops = indices.map((i) => operations[i]!);
    const call = new Float64Array(ops.length);
    const ret = new Float64Array(ops.length);
    for (let j = 0; j < ops.length; j++) {
      call[j] = ops[j]!.call;
      ret[j] = ops[j]!.return ?? Infinity;
    }
    const machine =
      history.model === "register" ? new RegisterMachine(ops as RegisterOperation[]) : new KvMachine(ops as KvOperation[]);
    return { key, indices, call, ret, machine };
  });
}
