// Wing & Gong's search for a linearization of one key's operations, with Lowe's memo of explored
// (linearized set, state) pairs; it counts its steps and can pause at any step and resume exactly.

import type { KeyHistory } from "../history/partition";
import { LinearizedSetMemo } from "./linearizability-memo";

export type SearchOutcome = "linearizable" | "refuted" | "memory";

/** Steps taken so far and the step at which to pause; shared by every search of one check. */
export interface StepMeter {
  steps: number;
  limit: number;
}

const END = -1;

/** A 32-bit Zobrist key per operation (a fixed integer hash of its position: no randomness). */
function zobrist(i: number): number {
  let z = Math.imul(i + 1, 0x9e3779b9);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/**
 * The search over some of one key's operations. Events are kept in a doubly linked list ordered by
 * time, calls before returns at equal times (closed intervals). Walking it from the start, a call
 * may be linearized next if the model accepts it; then its events are unlinked and the walk
 * restarts. Meeting a return means that operation had to be linearized already: undo the last
 * choice and try the next call after it. The operations are linearizable once every one that
 * returned is linearized; those that never returned may be linearized on the way (at any point
 * after their call) or left out.
 *
 * `weakened` operations (used while shrinking a failure) may take effect once between their call
 * and their return, whatever their output, or not at all: meeting the return of one not yet
 * linearized, the search may also drop it, as its last choice at that point.
 *
 * An operation that keeps every state (a read, a failed cas) is never undone to try another in its
 * place: if nothing can follow it, nothing could follow any other choice either.
 *
 * Operations are numbered: those that returned by call time (0..returned-1), then those that never
 * returned, from a word boundary (pendingBase..). The memo stores a set of decided operations as
 * `low` (the first returned operation not decided) and the words from there on (see the memo).
 */
export class LinearizabilitySearch {
  private readonly key: KeyHistory;
  private readonly ops: Int32Array;
  private readonly m: number;
  private readonly returnedCount: number;
  private readonly bitOf: Int32Array;
  private readonly keeps: Uint8Array;
  private readonly optional: Uint8Array;
  private readonly head: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly zob: Int32Array;
  private readonly bits: Uint32Array;
  private readonly memo: LinearizedSetMemo;
  private readonly stack: Int32Array; // per choice: operation (-1 - op when dropped), state, low, high
  private entry: number;
  private state: number;
  private depth = 0;
  private low = 0;
  private high = -1;
  private hash = 0;
  private outcome: SearchOutcome | null = null;

  /** `tracked` and `weakened` are indices in the key (weakened reads constrain nothing and are left out). */
  constructor(key: KeyHistory, tracked: ArrayLike<number>, maxMemoBytes: number, weakened: ArrayLike<number> = []) {
    const byCall = (a: number, b: number) => key.call[a]! - key.call[b]! || a - b;
    const isWeakened = new Set<number>();
    for (const op of Array.from(weakened)) if (!key.machine.readOnly(op)) isWeakened.add(op);
    const chosen = Array.from(tracked).concat([...isWeakened]);
    const returned = chosen.filter((op) => key.ret[op] !== Infinity).sort(byCall);
    const pending = chosen.filter((op) => key.ret[op] === Infinity).sort(byCall);
    const all = returned.concat(pending);
    const m = all.length;
    const R = returned.length;
    const pendingBase = Math.ceil(R / 32) * 32;
    const totalWords = pendingBase / 32 + Math.ceil(pending.length / 32);
    this.key = key;
    this.ops = Int32Array.from(all);
    this.m = m;
    this.returnedCount = R;
    this.bitOf = new Int32Array(m);
    this.keeps = new Uint8Array(m);
    this.optional = new Uint8Array(m);
    this.zob = new Int32Array(m);
    for (let e = 0; e < m; e++) {
      const op = all[e]!;
      this.bitOf[e] = e < R ? e : pendingBase + (e - R);
      this.zob[e] = zobrist(e);
      this.optional[e] = isWeakened.has(op) ? 1 : 0;
      this.keeps[e] = !isWeakened.has(op) && key.machine.keepsState(op) ? 1 : 0;
    }
    this.head = 2 * m;
    this.next = new Int32Array(2 * m + 1).fill(END);
    this.prev = new Int32Array(2 * m + 1).fill(END);
    this.bits = new Uint32Array(totalWords + 1); // one spare word: low may reach the end
    this.memo = new LinearizedSetMemo(pendingBase / 32, totalWords, maxMemoBytes);
    this.stack = new Int32Array(4 * m + 4); // each operation is decided at most once on a path
    // Event e < m is the call of ops[e]; e >= m the return of ops[e - m] (for those that returned).
    const events: number[] = [];
    const time = new Float64Array(2 * m);
    for (let e = 0; e < m; e++) {
      events.push(e);
      time[e] = key.call[all[e]!]!;
      if (e < R) {
        events.push(m + e);
        time[m + e] = key.ret[all[e]!]!;
      }
    }
    events.sort((a, b) => time[a]! - time[b]! || (a < m ? 0 : 1) - (b < m ? 0 : 1) || a - b);
    let last = this.head;
    for (const e of events) {
      this.next[last] = e;
      this.prev[e] = last;
      last = e;
    }
    this.entry = this.next[this.head]!;
    this.state = key.machine.initial;
    this.memo.add(this.bits, 0, this.state, 0, 0, 0);
    if (R === 0) this.outcome = "linearizable";
  }

  /** Searches until the outcome is known (returned) or `meter.steps` reaches `meter.limit` (null). */
  run(meter: StepMeter): SearchOutcome | null {
    if (this.outcome !== null) return this.outcome;
    const { m, head, next, prev, zob, bits, memo, ops, bitOf, keeps, optional, stack } = this;
    const R = this.returnedCount;
    const machine = this.key.machine;
    const limit = meter.limit;
    let steps = meter.steps;
    let entry = this.entry;
    let state = this.state;
    let depth = this.depth;
    let low = this.low;
    let high = this.high;
    let hash = this.hash;
    let outcome: SearchOutcome | null = null;
    for (;;) {
      if (steps >= limit) break;
      steps++;
      // The operation to decide: linearize it (at its call) or drop it (at its return, if weakened).
      let e = -1;
      let after = -1;
      if (entry >= 0 && entry < m) {
        e = entry;
        after = optional[e] === 1 ? machine.effect(state, ops[e]!) : machine.step(state, ops[e]!);
        if (after < 0) {
          entry = next[entry]!;
          continue;
        }
      } else if (entry >= m && optional[entry - m] === 1) {
        e = entry - m;
        after = state;
      }
      if (e >= 0) {
        const pos = bitOf[e]!;
        const word = pos >>> 5;
        const bit = 1 << (pos & 31);
        bits[word]! |= bit;
        const h = hash ^ zob[e]!;
        let newLow = low;
        let newHigh = high;
        if (e < R) {
          if (e > newHigh) newHigh = e;
          if (e === newLow) {
            newLow++;
            while (newLow < R && (bits[newLow >>> 5]! & (1 << (newLow & 31))) !== 0) newLow++;
          }
        }
        const added = memo.add(bits, h, after, newLow, Math.max(newLow >>> 5, newHigh >> 5), machine.stateBytes);
        if (added === 1) {
          const s = 4 * depth++;
          stack[s] = entry === e ? e : -1 - e;
          stack[s + 1] = state;
          stack[s + 2] = low;
          stack[s + 3] = high;
          state = after;
          hash = h;
          low = newLow;
          high = newHigh;
          // Unlink the call and its return.
          let n = next[e]!;
          let p = prev[e]!;
          next[p] = n;
          if (n !== END) prev[n] = p;
          if (e < R) {
            const r = m + e;
            n = next[r]!;
            p = prev[r]!;
            next[p] = n;
            if (n !== END) prev[n] = p;
            if (low === R) {
              outcome = "linearizable";
              break;
            }
          }
          entry = next[head]!;
          continue;
        }
        bits[word]! &= ~bit;
        if (added < 0) {
          outcome = "memory";
          break;
        }
        if (entry === e) {
          entry = next[entry]!;
          continue;
        }
        // Dropping led to a configuration already explored: nothing is left to try here.
      }
      // A return (or the end): the operations decided so far cannot be extended. Undo the last choice.
      if (depth === 0) {
        outcome = "refuted";
        break;
      }
      const s = 4 * --depth;
      const choice = stack[s]!;
      const j = choice < 0 ? -1 - choice : choice;
      state = stack[s + 1]!;
      low = stack[s + 2]!;
      high = stack[s + 3]!;
      const pos = bitOf[j]!;
      bits[pos >>> 5]! &= ~(1 << (pos & 31));
      hash ^= zob[j]!;
      if (j < R) {
        const r = m + j;
        next[prev[r]!] = r;
        if (next[r] !== END) prev[next[r]!] = r;
      }
      next[prev[j]!] = j;
      if (next[j] !== END) prev[next[j]!] = j;
      // Dropping was the last choice at its point, and an operation that keeps every state (a read,
      // a failed cas) could always go first: if nothing follows either, nothing follows any choice there.
      entry = choice < 0 || keeps[j] === 1 ? END : next[j]!;
    }
    meter.steps = steps;
    this.entry = entry;
    this.state = state;
    this.depth = depth;
    this.low = low;
    this.high = high;
    this.hash = hash;
    this.outcome = outcome;
    return outcome;
  }
}
