// Seeded random streams: one seed feeds many named, independent xoshiro128** generators,
// so adding a fault or a node does not reshuffle the draws of unrelated parts of the model.

/** 32-bit finalizer of MurmurHash3: a good bijective mixer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a stream name, so streams are keyed by what they are for, not by creation order. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A bank of xoshiro128** generators, stream i's state in words 4i..4i+3 of one Uint32Array.
 * Streams are added by name (the kernel's, then each module's); draws are by stream index (no allocation per draw).
 */
export class RandomStreams {
  private s: Uint32Array;
  private readonly seed: number;
  private readonly streamNames: string[] = [];

  constructor(seed: number, names: readonly string[] = []) {
    this.seed = seed >>> 0;
    this.s = new Uint32Array(Math.max(16, names.length) * 4);
    for (const name of names) this.add(name);
  }

  /** The streams' names, by index. */
  get names(): readonly string[] {
    return this.streamNames;
  }

  /**
   * Adds the stream `name` and returns its index. A stream's draws depend only on the seed and its
   * name, never on when it was added or its index.
   */
  add(name: string): number {
    const i = this.streamNames.length;
    this.streamNames.push(name);
    if ((i + 1) * 4 > this.s.length) {
      const next = new Uint32Array(this.s.length * 2);
      next.set(this.s);
      this.s = next;
    }
    this.seedStream(i, this.seed, hashName(name));
    return i;
  }

  private seedStream(i: number, seed: number, nameHash: number): void {
    // SplitMix-style sequence over (seed, name): distinct names give unrelated states.
    let x = fmix32(seed ^ 0x9e3779b9) ^ fmix32(nameHash + 0x7f4a7c15);
    const o = i * 4;
    for (let k = 0; k < 4; k++) {
      x = (x + 0x9e3779b9) >>> 0;
      this.s[o + k] = fmix32(x ^ Math.imul(k + 1, 0x27d4eb2d));
    }
    if ((this.s[o]! | this.s[o + 1]! | this.s[o + 2]! | this.s[o + 3]!) === 0) this.s[o] = 1;
  }

  /**
   * The next output of stream i as a signed 32-bit integer (its bits are the unsigned output's).
   * Draws go through this: a signed 32-bit integer is a small integer to V8, so returning it from a
   * call that is not inlined allocates nothing, where an unsigned one above 2^31 or a fraction is a
   * new heap number (millions of them in a big run, each a little garbage to collect).
   */
  private next(i: number): number {
    const s = this.s;
    const o = i << 2;
    const s0 = s[o]!;
    const s1 = s[o + 1]!;
    const s2 = s[o + 2]!;
    const s3 = s[o + 3]!;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[o + 1] = s1 ^ n2;
    s[o] = s0 ^ n3;
    s[o + 2] = n2 ^ t;
    s[o + 3] = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /** Next 32-bit unsigned integer of stream i. */
  u32(i: number): number {
    return this.next(i) >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(i: number): number {
    return (this.next(i) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(i: number, n: number): number {
    return Math.floor(((this.next(i) >>> 0) / 4294967296) * n);
  }
}
