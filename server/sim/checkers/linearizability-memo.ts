// Lowe's memo for the linearizability search: the (linearized operations, model state) pairs already
// explored, an open-addressed hash table over typed arrays, compact for long histories, with a memory limit.

/** Bytes per stored pair beyond its words: hash, state, low, offset and length. */
const ENTRY_OVERHEAD_BYTES = 20;
const INITIAL_ENTRIES = 1024;

/**
 * A linearized set is stored as `low` (the first operation that returned and is not linearized:
 * every one before it is) plus the words of the bitset from low's word to the last linearized
 * operation that returned, plus the words of the operations that never returned. In a long history
 * only a window of concurrent operations is undecided, so an entry takes a few words, not one bit
 * per operation.
 *
 * Operations that never returned are optional, so a configuration is as good as explored when one
 * with the same returned operations and state but a subset of them was: the pending words are
 * left out of the hash and compared by inclusion. Without this, each such operation used or not
 * early on doubled the configurations for the whole rest of the history.
 */
export class LinearizedSetMemo {
  private readonly pendingWord: number;
  private readonly totalWords: number;
  private readonly maxBytes: number;
  private table: Int32Array; // entry + 1, 0 = empty
  private hashes: Int32Array;
  private states: Int32Array;
  private lows: Int32Array;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private pool: Uint32Array;
  private poolUsed = 0;
  private count = 0;

  /** Bitsets have `totalWords` words; those from `pendingWord` on hold the operations that never returned. */
  constructor(pendingWord: number, totalWords: number, maxBytes: number) {
    this.pendingWord = pendingWord;
    this.totalWords = totalWords;
    this.maxBytes = maxBytes;
    this.table = new Int32Array(INITIAL_ENTRIES * 2);
    this.hashes = new Int32Array(INITIAL_ENTRIES);
    this.states = new Int32Array(INITIAL_ENTRIES);
    this.lows = new Int32Array(INITIAL_ENTRIES);
    this.offsets = new Int32Array(INITIAL_ENTRIES);
    this.lengths = new Int32Array(INITIAL_ENTRIES);
    this.pool = new Uint32Array(INITIAL_ENTRIES * 4);
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.table.byteLength + this.hashes.length * ENTRY_OVERHEAD_BYTES + this.pool.byteLength;
  }

  /**
   * Adds (bits, state): 1 when added, 0 when it or one with a subset of its pending operations is
   * there, -1 when adding it would pass the memory limit (`extraBytes` is memory held elsewhere).
   * `bitsHash` hashes the returned operations' bits, `low` is the first undecided operation that
   * returned, `highWord` the word of the last decided one (>= low's).
   */
  add(bits: Uint32Array, bitsHash: number, state: number, low: number, highWord: number, extraBytes: number): number {
    const h = (bitsHash ^ Math.imul(state + 1, 0x9e3779b1)) | 0;
    const lowWord = low >>> 5;
    const windowWords = highWord - lowWord + 1;
    const length = windowWords + (this.totalWords - this.pendingWord);
    const table = this.table;
    const mask = table.length - 1;
    let slot = h & mask;
    for (;;) {
      const e = table[slot]!;
      if (e === 0) break;
      const i = e - 1;
      if (this.hashes[i] === h && this.states[i] === state && this.lows[i] === low && this.lengths[i] === length && this.covers(i, bits, lowWord, windowWords)) {
        return 0;
      }
      slot = (slot + 1) & mask;
    }
    if (this.count === this.hashes.length || this.poolUsed + length > this.pool.length) {
      if (!this.grow(length, extraBytes)) return -1;
      return this.add(bits, bitsHash, state, low, highWord, extraBytes);
    }
    const i = this.count++;
    this.hashes[i] = h;
    this.states[i] = state;
    this.lows[i] = low;
    this.offsets[i] = this.poolUsed;
    this.lengths[i] = length;
    const pool = this.pool;
    let o = this.poolUsed;
    for (let w = lowWord; w <= highWord; w++) pool[o++] = bits[w]!;
    for (let w = this.pendingWord; w < this.totalWords; w++) pool[o++] = bits[w]!;
    this.poolUsed = o;
    table[slot] = i + 1;
    return 1;
  }

  /** Whether entry i has the same window as `bits` and a subset of its pending operations. */
  private covers(i: number, bits: Uint32Array, lowWord: number, windowWords: number): boolean {
    const pool = this.pool;
    let o = this.offsets[i]!;
    for (let w = 0; w < windowWords; w++) if (pool[o++] !== bits[lowWord + w]) return false;
    for (let w = this.pendingWord; w < this.totalWords; w++) if ((pool[o++]! & ~bits[w]!) !== 0) return false;
    return true;
  }

  /** Makes room for one more entry of `length` words: doubles what is full (the table stays at most half full). */
  private grow(length: number, extraBytes: number): boolean {
    const entries = this.count === this.hashes.length ? this.hashes.length * 2 : this.hashes.length;
    let poolWords = this.pool.length;
    while (this.poolUsed + length > poolWords) poolWords *= 2;
    const allocated =
      (poolWords !== this.pool.length ? poolWords * 4 : 0) +
      (entries !== this.hashes.length ? entries * 2 * 4 + entries * ENTRY_OVERHEAD_BYTES : 0);
    // While growing, the old arrays are still held: count them too.
    if (this.bytes + allocated + extraBytes > this.maxBytes) return false;
    if (poolWords !== this.pool.length) {
      const pool = new Uint32Array(poolWords);
      pool.set(this.pool.subarray(0, this.poolUsed));
      this.pool = pool;
    }
    if (entries !== this.hashes.length) {
      const widen = (a: Int32Array) => {
        const b = new Int32Array(entries);
        b.set(a);
        return b;
      };
      this.hashes = widen(this.hashes);
      this.states = widen(this.states);
      this.lows = widen(this.lows);
      this.offsets = widen(this.offsets);
      this.lengths = widen(this.lengths);
      const table = new Int32Array(entries * 2);
      const mask = table.length - 1;
      for (let i = 0; i < this.count; i++) {
        let slot = this.hashes[i]! & mask;
        while (table[slot] !== 0) slot = (slot + 1) & mask;
        table[slot] = i + 1;
      }
      this.table = table;
    }
    return true;
  }
}
