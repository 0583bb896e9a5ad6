// The register the checker replays: null at first, read / write / cas, values interned as small
// integers; and the contradictions a register history can show without a search.

import { UNKNOWN, type ModelMachine } from "./models";
import type { RegisterOperation, RegisterValue } from "./types";

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

  contradiction(call: Float64Array, ret: Float64Array): number[] | null {
    const impossible = this.unreachableRead();
    if (impossible >= 0) return [impossible];
    return this.staleRead(call, ret);
  }

  /** A read of a value the register can never hold (or a successful cas from one), or -1. */
  private unreachableRead(): number {
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

  /**
   * A read of v (or a successful cas from v) that began after a write x of another value ended,
   * where x began after every operation that could set v (any write of v, any cas to v, and for
   * null the start) had returned: nothing can have set v between x and the read. [x, read], or null.
   */
  private staleRead(call: Float64Array, ret: Float64Array): number[] | null {
    const n = this.kind.length;
    // The latest return of an operation that could set each value (Infinity: one never returned).
    const lastSource = new Map<number, number>([[0, -Infinity]]);
    const source = (v: number, t: number) => lastSource.set(v, Math.max(lastSource.get(v) ?? -Infinity, t));
    for (let i = 0; i < n; i++) {
      if (this.kind[i] === WRITE) source(this.a[i]!, ret[i]!);
      else if (this.kind[i] === CAS) source(this.b[i]!, ret[i]!);
    }
    // Writes that returned (a cas that succeeded has a condition of its own, so it would not make a
    // minimal pair), by call time, with the earliest return from each on.
    const setters: number[] = [];
    for (let i = 0; i < n; i++) if (this.kind[i] === WRITE && ret[i] !== Infinity) setters.push(i);
    setters.sort((x, y) => call[x]! - call[y]! || x - y);
    const earliest = new Int32Array(setters.length + 1).fill(-1);
    for (let k = setters.length - 1; k >= 0; k--) {
      const later = earliest[k + 1]!;
      earliest[k] = later >= 0 && ret[later]! <= ret[setters[k]!]! ? later : setters[k]!;
    }
    for (let r = 0; r < n; r++) {
      const kind = this.kind[r];
      const v = kind === READ ? this.a[r]! : kind === CAS && this.ok[r] === 1 ? this.a[r]! : UNKNOWN;
      if (v === UNKNOWN || ret[r] === Infinity) continue;
      const since = lastSource.get(v);
      if (since === undefined || since === Infinity) continue;
      // The first setter called strictly after every source returned (closed intervals).
      let lo = 0;
      let hi = setters.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (call[setters[mid]!]! > since) hi = mid;
        else lo = mid + 1;
      }
      const x = earliest[lo]!;
      if (x >= 0 && x !== r && ret[x]! < call[r]!) return [x, r];
    }
    return null;
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

  effectName(op: number): string {
    const kind = this.kind[op];
    return kind === READ ? "r" : kind === WRITE ? `w${this.a[op]}` : `c${this.a[op]}:${this.b[op]}`;
  }
}
