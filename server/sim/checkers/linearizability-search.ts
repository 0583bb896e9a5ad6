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
 * `tracked` operations are taken as recorded. `relaxed` ones (used while shrinking a failure) are
 * weakened to "took effect any number of times, or never, at any time after the call, with any
 * output": their calls stay in the list, are never unlinked and never enter the linearized set, so
 * weakening costs no more search than leaving them out.
 *
 * An operation that keeps every state (a read, a failed cas) is never undone to try another in its
 * place: if nothing can follow it, nothing could follow any other choice either.
 *
 * Operations are numbered: those that returned by call time (0..returned-1), then those that never
 * returned, from a word boundary (pendingBase..), then the relaxed ones. The memo stores a set as
 * `low` (the first returned operation not linearized) and the words from there on (see the memo).
 */
export class LinearizabilitySearch {
  private readonly key: KeyHistory;
  private readonly ops: Int32Array;
  private readonly m: number;
  private readonly returnedCount: number;
  private readonly tracked: number;
  private readonly bitOf: Int32Array;
  private readonly keeps: Uint8Array;
  private readonly head: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly zob: Int32Array;
  private readonly bits: Uint32Array;
  private readonly memo: LinearizedSetMemo;
  private stack: Int32Array; // per entry: operation, state, low, high
  private entry: number;
  private state: number;
  private depth = 0;
  private low = 0;
  private high = -1;
  private hash = 0;
  private outcome: SearchOutcome | null = null;

  /** `tracked` and `relaxed` are indices in the key; relaxed operations that only read are skipped. */
  constructor(key: KeyHistory, tracked: ArrayLike<number>, maxMemoBytes: number, relaxed: ArrayLike<number> = []) {
    const byCall = (a: number, b: number) => key.call[a]! - key.call[b]! || a - b;
    const trackedOps = Array.from(tracked);
    const returned = trackedOps.filter((op) => key.ret[op] !== Infinity).sort(byCall);
    const pending = trackedOps.filter((op) => key.ret[op] === Infinity).sort(byCall);
    const kept = Array.from(relaxed).filter((op) => !key.machine.readOnly(op));
    const all = returned.concat(pending, kept);
    const m = all.length;
    const R = returned.length;
    const pendingBase = Math.ceil(R / 32) * 32;
    const totalWords = pendingBase / 32 + Math.ceil(pending.length / 32);
    this.key = key;
    this.ops = Int32Array.from(all);
    this.m = m;
    this.returnedCount = R;
    this.tracked = R + pending.length;
    this.bitOf = new Int32Array(m).fill(-1);
    this.keeps = new Uint8Array(m);
    this.zob = new Int32Array(m);
    for (let e = 0; e < this.tracked; e++) {
      this.bitOf[e] = e < R ? e : pendingBase + (e - R);
      this.zob[e] = zobrist(e);
      this.keeps[e] = key.machine.keepsState(all[e]!) ? 1 : 0;
    }
    this.head = 2 * m;
    this.next = new Int32Array(2 * m + 1).fill(END);
    this.prev = new Int32Array(2 * m + 1).fill(END);
    this.bits = new Uint32Array(totalWords + 1); // one spare word: low may reach the end
    this.memo = new LinearizedSetMemo(pendingBase / 32, totalWords, maxMemoBytes);
    this.stack = new Int32Array(4 * Math.max(16, m));
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
    const { m, tracked, head, next, prev, zob, bits, memo, ops, bitOf, keeps } = this;
    const R = this.returnedCount;
    const machine = this.key.machine;
    const limit = meter.limit;
    let stack = this.stack;
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
      if (entry >= tracked && entry < m) {
        // A relaxed operation: it may change the state here, and again later.
        const after = machine.effect(state, ops[entry]!);
        if (after !== state) {
          const highWord = Math.max(low >>> 5, high >> 5);
          const added = memo.add(bits, hash, after, low, highWord, machine.stateBytes);
          if (added < 0) {
            outcome = "memory";
            break;
          }
          if (added === 1) {
            if (4 * depth === stack.length) stack = this.growStack();
            const s = 4 * depth++;
            stack[s] = entry;
            stack[s + 1] = state;
            stack[s + 2] = low;
            stack[s + 3] = high;
            state = after;
            entry = next[head]!;
            continue;
          }
        }
        entry = next[entry]!;
      } else if (entry >= 0 && entry < m) {
        const after = machine.step(state, ops[entry]!);
        if (after >= 0) {
          const pos = bitOf[entry]!;
          const word = pos >>> 5;
          const bit = 1 << (pos & 31);
          bits[word]! |= bit;
          const h = hash ^ zob[entry]!;
          let newLow = low;
          let newHigh = high;
          if (entry < R) {
            if (entry > newHigh) newHigh = entry;
            if (entry === newLow) {
              newLow++;
              while (newLow < R && (bits[newLow >>> 5]! & (1 << (newLow & 31))) !== 0) newLow++;
            }
          }
          const added = memo.add(bits, h, after, newLow, Math.max(newLow >>> 5, newHigh >> 5), machine.stateBytes);
          if (added === 1) {
            if (4 * depth === stack.length) stack = this.growStack();
            const s = 4 * depth++;
            stack[s] = entry;
            stack[s + 1] = state;
            stack[s + 2] = low;
            stack[s + 3] = high;
            state = after;
            hash = h;
            low = newLow;
            high = newHigh;
            // Unlink the call and its return.
            let n = next[entry]!;
            let p = prev[entry]!;
            next[p] = n;
            if (n !== END) prev[n] = p;
            if (entry < R) {
              const r = m + entry;
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
        }
        entry = next[entry]!;
      } else {
        // A return (or the end): the operations linearized so far cannot be extended. Undo the last.
        if (depth === 0) {
          outcome = "refuted";
          break;
        }
        const s = 4 * --depth;
        const j = stack[s]!;
        state = stack[s + 1]!;
        low = stack[s + 2]!;
        high = stack[s + 3]!;
        if (j >= tracked) {
          entry = next[j]!; // a relaxed operation was never unlinked
          continue;
        }
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
        // An operation that keeps every state (a read, a failed cas) could always go first: any
        // linearization from here has one with it first. So if none follows it, none is here.
        entry = keeps[j] === 1 ? END : next[j]!;
      }
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

  /** Doubles the undo stack (relaxed operations can be applied more than once on one path). */
  private growStack(): Int32Array {
    const stack = new Int32Array(this.stack.length * 2);
    stack.set(this.stack);
    this.stack = stack;
    return stack;
  }
}
