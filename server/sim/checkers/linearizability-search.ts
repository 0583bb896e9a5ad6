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
/** `cursor` when the walk is in the list, not at a barrier. */
const NONE = -2;

/** A 32-bit Zobrist key per operation (a fixed integer hash of its position: no randomness). */
function zobrist(i: number): number {
  let z = Math.imul(i + 1, 0x9e3779b9);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/**
 * The search over some of one key's operations. Calls and returns of the operations that returned
 * form a doubly linked list ordered by time, calls before returns at equal times (closed
 * intervals). Walking it from the start, a call may be linearized next if the model accepts it;
 * then its events are unlinked and the walk restarts. Meeting a return means that operation had to
 * be linearized already (a barrier): what is left to try there is an operation that never returned
 * (those called by the barrier's time, kept in a list of their own and tried last, so that
 * configurations using fewer of them come first; of several that do the same, only the first
 * undecided one), then, for a weakened operation, dropping it;
 * then the last choice is undone and the walk goes on after it. The operations are linearizable
 * once every one that returned is decided.
 *
 * `weakened` operations (used while shrinking a failure) may take effect once between their call
 * and their return, whatever their output, or not at all (dropped at their return). Operations
 * that never returned may take effect once after their call, or never; those that only read (and
 * weakened reads) constrain nothing and are left out.
 *
 * An operation that keeps every state (a read, a failed cas) is never undone to try another in its
 * place: if nothing can follow it, nothing could follow any other choice either.
 *
 * Operations are numbered: those that returned by call time (0..returned-1), then those that never
 * returned (returned..m-1), whose bits start at a word boundary (pendingBase). The memo stores a
 * set of decided operations as `low` (the first returned operation not decided) and the words from
 * there on (see the memo), and knows a configuration explored when it has explored one that used
 * fewer operations that never returned (the same others, the same state): those are optional, so
 * fewer used is never worse.
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
  /** The undecided operations that never returned, by call time; `pendingHead` is its sentinel. */
  private readonly pendingHead: number;
  private readonly pendingNext: Int32Array;
  private readonly pendingPrev: Int32Array;
  /** For an operation that never returned: the one before it (by call) that does the same, or -1. */
  private readonly sameBefore: Int32Array;
  private readonly callTime: Float64Array;
  private readonly returnTime: Float64Array;
  private readonly zob: Int32Array;
  private readonly bits: Uint32Array;
  private readonly memo: LinearizedSetMemo;
  private readonly stack: Int32Array; // per choice: operation (-1 - op when dropped), state, low, high, barrier
  private entry: number;
  /** At a barrier: the return entry (or END), and the next operation that never returned to try there (NONE: not at a barrier). */
  private barrier = END;
  private cursor = NONE;
  private state: number;
  private depth = 0;
  private low = 0;
  private high = -1;
  private hash = 0;
  private outcome: SearchOutcome | null = null;

  /** `tracked` and `weakened` are indices in the key. */
  constructor(key: KeyHistory, tracked: ArrayLike<number>, maxMemoBytes: number, weakened: ArrayLike<number> = []) {
    const byCall = (a: number, b: number) => key.call[a]! - key.call[b]! || a - b;
    const isWeakened = new Set<number>();
    for (const op of Array.from(weakened)) if (!key.machine.readOnly(op)) isWeakened.add(op);
    const chosen = Array.from(tracked).concat([...isWeakened]);
    const returned = chosen.filter((op) => key.ret[op] !== Infinity).sort(byCall);
    const pending = chosen.filter((op) => key.ret[op] === Infinity && !key.machine.readOnly(op)).sort(byCall);
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
    this.callTime = new Float64Array(m);
    this.returnTime = new Float64Array(m);
    for (let e = 0; e < m; e++) {
      const op = all[e]!;
      this.bitOf[e] = e < R ? e : pendingBase + (e - R);
      // Operations that never returned stay out of the hash: the memo compares their sets by inclusion.
      this.zob[e] = e < R ? zobrist(e) : 0;
      this.optional[e] = isWeakened.has(op) ? 1 : 0;
      this.keeps[e] = !isWeakened.has(op) && key.machine.keepsState(op) ? 1 : 0;
      this.callTime[e] = key.call[op]!;
      this.returnTime[e] = key.ret[op]!;
    }
    this.head = 2 * m;
    this.next = new Int32Array(2 * m + 1).fill(END);
    this.prev = new Int32Array(2 * m + 1).fill(END);
    this.pendingHead = m;
    this.pendingNext = new Int32Array(m + 1).fill(END);
    this.pendingPrev = new Int32Array(m + 1).fill(END);
    this.sameBefore = new Int32Array(m).fill(-1);
    const lastOfEffect = new Map<string, number>();
    let lastPending = m;
    for (let e = R; e < m; e++) {
      this.pendingNext[lastPending] = e;
      this.pendingPrev[e] = lastPending;
      lastPending = e;
      const name = key.machine.effectName(all[e]!);
      this.sameBefore[e] = lastOfEffect.get(name) ?? -1;
      lastOfEffect.set(name, e);
    }
    this.bits = new Uint32Array(totalWords + 1); // one spare word: low may reach the end
    this.memo = new LinearizedSetMemo(pendingBase / 32, totalWords, maxMemoBytes);
    this.stack = new Int32Array(5 * m + 5); // each operation is decided at most once on a path
    // Event e < R is the call of ops[e]; m + e its return.
    const events: number[] = [];
    for (let e = 0; e < R; e++) events.push(e, m + e);
    const time = (x: number) => (x < m ? this.callTime[x]! : this.returnTime[x - m]!);
    events.sort((a, b) => time(a) - time(b) || (a < m ? 0 : 1) - (b < m ? 0 : 1) || a - b);
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
    const { pendingHead, pendingNext, pendingPrev, callTime, returnTime } = this;
    const R = this.returnedCount;
    const machine = this.key.machine;
    const limit = meter.limit;
    let steps = meter.steps;
    let entry = this.entry;
    let barrier = this.barrier;
    let cursor = this.cursor;
    let state = this.state;
    let depth = this.depth;
    let low = this.low;
    let high = this.high;
    let hash = this.hash;
    let outcome: SearchOutcome | null = null;
    for (;;) {
      if (steps >= limit) break;
      steps++;
      // The operation to decide now, and the state after it: linearized at its call (in the list,
      // or one that never returned, at a barrier), or dropped at its return (a weakened one).
      let e = -1;
      let after = -1;
      let drop = false;
      if (cursor === NONE) {
        if (entry >= 0 && entry < m) {
          after = optional[entry] === 1 ? machine.effect(state, ops[entry]!) : machine.step(state, ops[entry]!);
          if (after < 0) {
            entry = next[entry]!;
            continue;
          }
          e = entry;
        } else {
          barrier = entry;
          cursor = pendingNext[pendingHead]!;
          continue;
        }
      } else {
        const barrierTime = barrier === END ? Infinity : returnTime[barrier - m]!;
        if (cursor !== END && callTime[cursor]! <= barrierTime) {
          after = machine.step(state, ops[cursor]!);
          if (after < 0 || this.twinTried(cursor)) {
            cursor = pendingNext[cursor]!;
            continue;
          }
          e = cursor;
        } else if (barrier !== END && optional[barrier - m] === 1) {
          e = barrier - m;
          after = state;
          drop = true;
        }
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
          const s = 5 * depth++;
          stack[s] = drop ? -1 - e : e;
          stack[s + 1] = state;
          stack[s + 2] = low;
          stack[s + 3] = high;
          stack[s + 4] = barrier;
          state = after;
          hash = h;
          low = newLow;
          high = newHigh;
          if (e < R) {
            // Unlink the call and its return.
            let n = next[e]!;
            let p = prev[e]!;
            next[p] = n;
            if (n !== END) prev[n] = p;
            const r = m + e;
            n = next[r]!;
            p = prev[r]!;
            next[p] = n;
            if (n !== END) prev[n] = p;
            if (low === R) {
              outcome = "linearizable";
              break;
            }
          } else {
            const n = pendingNext[e]!;
            const p = pendingPrev[e]!;
            pendingNext[p] = n;
            if (n !== END) pendingPrev[n] = p;
          }
          cursor = NONE;
          entry = next[head]!;
          continue;
        }
        bits[word]! &= ~bit;
        if (added < 0) {
          outcome = "memory";
          break;
        }
        if (!drop) {
          if (cursor === NONE) entry = next[entry]!;
          else cursor = pendingNext[cursor]!;
          continue;
        }
        // Dropping led to a configuration already explored: nothing is left to try here.
      }
      // Nothing is left to try in this configuration: undo choices until one has an alternative.
      for (;;) {
        if (depth === 0) {
          outcome = "refuted";
          break;
        }
        const s = 5 * --depth;
        const choice = stack[s]!;
        const j = choice < 0 ? -1 - choice : choice;
        state = stack[s + 1]!;
        low = stack[s + 2]!;
        high = stack[s + 3]!;
        barrier = stack[s + 4]!;
        const pos = bitOf[j]!;
        bits[pos >>> 5]! &= ~(1 << (pos & 31));
        hash ^= zob[j]!;
        if (j < R) {
          const r = m + j;
          next[prev[r]!] = r;
          if (next[r] !== END) prev[next[r]!] = r;
          next[prev[j]!] = j;
          if (next[j] !== END) prev[next[j]!] = j;
        } else {
          pendingNext[pendingPrev[j]!] = j;
          if (pendingNext[j] !== END) pendingPrev[pendingNext[j]!] = j;
        }
        // Dropping is the last choice at a barrier, and an operation that keeps every state (a read,
        // a failed cas) could always go first: if nothing follows either, nothing follows any choice there.
        if (choice < 0 || keeps[j] === 1) continue;
        if (j >= R) {
          cursor = pendingNext[j]!; // the next operation that never returned, at the same barrier
        } else {
          cursor = NONE;
          entry = next[j]!;
        }
        break;
      }
      if (outcome !== null) break;
    }
    meter.steps = steps;
    this.entry = entry;
    this.barrier = barrier;
    this.cursor = cursor;
    this.state = state;
    this.depth = depth;
    this.low = low;
    this.high = high;
    this.hash = hash;
    this.outcome = outcome;
    return outcome;
  }

  /** Whether an undecided operation that never returned, called before `e` and doing the same, was
   *  tried at this barrier already: using `e` instead would lead where that one led. */
  private twinTried(e: number): boolean {
    const bits = this.bits;
    for (let q = this.sameBefore[e]!; q >= 0; q = this.sameBefore[q]!) {
      const pos = this.bitOf[q]!;
      if ((bits[pos >>> 5]! & (1 << (pos & 31))) === 0) return true;
    }
    return false;
  }
}
