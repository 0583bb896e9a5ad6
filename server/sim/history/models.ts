// The sequential specifications the checker replays, over one key's operations coded as integers
// with states as small integers: the interface, and the register (the kv model is in kv-model.ts).

import type { RegisterOperation, RegisterValue } from "./types";

/** One model over one key's operations; states are integers so the checker can memoise them cheaply. */
export interface ModelMachine {
  readonly initial: number;
  /** The state after operation `op` (its index in the key's list) from `state`, or -1 when `op`,
   *  with the output it gave, cannot happen in `state`. */
  step(state: number, op: number): number;
  /** The state after `op` from `state` whatever output it gave (a read's is `state`). */
  effect(state: number, op: number): number;
  /** True when `op` never changes the state (reads): with its output unknown it constrains nothing. */
  readOnly(op: number): boolean;
  /** True when `op`, with the output it gave, leaves every state as it was (reads, a failed cas). */
  keepsState(op: number): boolean;
  /** An operation that no order of any of the operations can satisfy (a read of a value nothing
   *  writes), found without searching; -1 when there is none or the model cannot tell cheaply. */
  impossibleOperation(): number;
  /** Bytes held by the states made so far, counted against the checker's memory limit. */
  readonly stateBytes: number;
}

export const UNKNOWN = -1;
const READ = 0;
const WRITE = 1;
const CAS = 2;

/** A register starting at null: read → { value }, write, cas { from, to } → { ok }. */
export class RegisterMachine implements ModelMachine {
  readonly initial = 0; // null is interned first
  readonly stateBytes = 0; // states are the history's own values
  private readonly kind: Uint8Array;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly ok: Int8Array;

  constructor(ops: readonly RegisterOperation[]) {
    const ids = new Map<string, number>([["null", 0]]);
    const id = (v: RegisterValue) => {
      // Typed names compare by type and value: 3 is not "3".
      const k = v === null ? "null" : typeof v === "string" ? "s" + v : typeof v === "number" ? "n" + v : "b" + v;
      let i = ids.get(k);
      if (i === undefined) ids.set(k, (i = ids.size));
      return i;
    };
    const n = ops.length;
    this.kind = new Uint8Array(n);
    this.a = new Int32Array(n);
    this.b = new Int32Array(n);
    this.ok = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      const { input, output } = ops[i]!;
      if (input.op === "read") {
        this.kind[i] = READ;
        this.a[i] = output && "value" in output ? id(output.value) : UNKNOWN;
      } else if (input.op === "write") {
        this.kind[i] = WRITE;
        this.a[i] = id(input.value);
      } else {
        this.kind[i] = CAS;
        this.a[i] = id(input.from);
        this.b[i] = id(input.to);
        this.ok[i] = output && "ok" in output ? (output.ok ? 1 : 0) : UNKNOWN;
      }
    }
  }

  impossibleOperation(): number {
    // The values the register can ever hold: null, what is written, and what a cas from one of those sets.
    const n = this.kind.length;
    const reachable = new Set<number>([0]);
    for (let i = 0; i < n; i++) if (this.kind[i] === WRITE) reachable.add(this.a[i]!);
    for (let grew = true; grew; ) {
      grew = false;
      for (let i = 0; i < n; i++) {
        if (this.kind[i] === CAS && reachable.has(this.a[i]!) && !reachable.has(this.b[i]!)) {
          reachable.add(this.b[i]!);
          grew = true;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const kind = this.kind[i];
      if (kind === READ && this.a[i] !== UNKNOWN && !reachable.has(this.a[i]!)) return i;
      if (kind === CAS && this.ok[i] === 1 && !reachable.has(this.a[i]!)) return i;
    }
    return -1;
  }

  step(state: number, op: number): number {
    const kind = this.kind[op];
    const a = this.a[op]!;
    if (kind === READ) return a === UNKNOWN || a === state ? state : -1;
    if (kind === WRITE) return a;
    const ok = this.ok[op];
    if (state === a) return ok === 0 ? -1 : this.b[op]!;
    return ok === 1 ? -1 : state;
  }

  effect(state: number, op: number): number {
    const kind = this.kind[op];
    if (kind === READ) return state;
    if (kind === WRITE) return this.a[op]!;
    return state === this.a[op] ? this.b[op]! : state;
  }

  readOnly(op: number): boolean {
    return this.kind[op] === READ;
  }

  keepsState(op: number): boolean {
    return this.kind[op] === READ || (this.kind[op] === CAS && this.ok[op] === 0);
  }
}
