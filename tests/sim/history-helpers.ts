// Helpers for the history and linearizability tests: the spec's example and compact builders
// for register and kv operations.

import type { History, HistoryOperation, KvInput, RegisterInput, RegisterValue } from "@/server/sim";

/** The example in docs/histories.md (the spec's "Histories" section). */
export const SPEC_EXAMPLE = `{ "model": "register",
  "operations": [
    { "client": 0, "call": 0, "return": 5, "input": { "op": "write", "key": "x", "value": 3 }, "output": {} },
    { "client": 1, "call": 1, "return": 9, "input": { "op": "read",  "key": "x" }, "output": { "value": 3 } },
    { "client": 2, "call": 2, "return": 7, "input": { "op": "cas", "key": "x", "from": 3, "to": 4 }, "output": { "ok": false } },
    { "client": 3, "call": 4, "return": null, "input": { "op": "write", "key": "x", "value": 9 }, "output": null }
  ] }`;

type Interval = [call: number, ret: number | null];

/** Register operations in a compact form: `write([0, 5], 3)`, `read([1, 9], 3)`, `cas([2, 7], 3, 4, false)`. */
export const reg = {
  write: ([call, ret]: Interval, value: RegisterValue, key?: string): HistoryOperation => ({
    client: 0,
    call,
    return: ret,
    input: withKey({ op: "write", value }, key) as RegisterInput,
    output: ret === null ? null : {},
  }),
  read: ([call, ret]: Interval, value: RegisterValue | undefined, key?: string): HistoryOperation => ({
    client: 0,
    call,
    return: ret,
    input: withKey({ op: "read" }, key) as RegisterInput,
    output: ret === null || value === undefined ? null : { value },
  }),
  cas: ([call, ret]: Interval, from: RegisterValue, to: RegisterValue, ok: boolean | undefined, key?: string): HistoryOperation => ({
    client: 0,
    call,
    return: ret,
    input: withKey({ op: "cas", from, to }, key) as RegisterInput,
    output: ret === null || ok === undefined ? null : { ok },
  }),
};

export const kv = {
  get: ([call, ret]: Interval, value: string | undefined, key?: string): HistoryOperation => ({
    client: 0,
    call,
    return: ret,
    input: withKey({ op: "get" }, key) as KvInput,
    output: ret === null || value === undefined ? null : { value },
  }),
  put: ([call, ret]: Interval, value: string, key?: string): HistoryOperation => ({
    client: 0,
    call,
    return: ret,
    input: withKey({ op: "put", value }, key) as KvInput,
    output: ret === null ? null : {},
  }),
  append: ([call, ret]: Interval, value: string, key?: string): HistoryOperation => ({
    client: 0,
    call,
    return: ret,
    input: withKey({ op: "append", value }, key) as KvInput,
    output: ret === null ? null : {},
  }),
};

function withKey(input: Record<string, unknown>, key: string | undefined): Record<string, unknown> {
  return key === undefined ? input : { ...input, key };
}

/** Numbers the clients 0, 1, 2, ... in order (the checker ignores them; files look tidier). */
export function register(...operations: HistoryOperation[]): History {
  return { model: "register", operations: operations.map((o, i) => ({ ...o, client: i })) } as History;
}

export function kvHistory(...operations: HistoryOperation[]): History {
  return { model: "kv", operations: operations.map((o, i) => ({ ...o, client: i })) } as History;
}
