// The kv model the checker replays: one text per key starting at "", get / put / append, with each
// text a node in a trie of the pieces appended, so a step costs O(1) whatever the text's length.

import { UNKNOWN, type ModelMachine } from "./models";
import type { KvOperation } from "./types";

const GET = 0;
const PUT = 1;
const APPEND = 2;
/** The state of every text longer than any known `get` output: no get can tell such texts apart
 *  (appends only lengthen them, a put replaces them), so they are one state. */
const TOO_LONG = 0;
const EMPTY = 1;
/** Bytes per trie node: five 32-bit columns and its entry in the children map. */
const NODE_BYTES = 64;
/** Node and piece (or get) numbers combine into one map key below 2^53. */
const KEY_SPAN = 2 ** 21;
const BASE_A = 0x01000193;
const BASE_B = 0x5bd1e995;

/**
 * A text is a trie node: its parent plus one piece (an appended or put value). Texts built by
 * different appends ("a" + "bc", "ab" + "c") are different nodes; the checker then merely explores
 * them separately. A get compares length and two polynomial hashes, then the text itself (cached).
 */
export class KvMachine implements ModelMachine {
  readonly initial = EMPTY;
  private readonly kind: Uint8Array;
  private readonly a: Int32Array; // get: its output's number (or UNKNOWN); put: its node; append: its piece
  private readonly maxChars: number;
  private readonly pieces: string[] = [];
  private readonly pieceIds = new Map<string, number>();
  private readonly pieceHashA: number[] = [];
  private readonly pieceHashB: number[] = [];
  private readonly piecePowA: number[] = [];
  private readonly piecePowB: number[] = [];
  private readonly outputs: string[] = [];
  private readonly outputHash: number[] = [];
  private parent = new Int32Array(1024);
  private piece = new Int32Array(1024);
  private length = new Int32Array(1024);
  private hashA = new Int32Array(1024);
  private hashB = new Int32Array(1024);
  private nodes = 2;
  private readonly children = new Map<number, number>();
  private readonly verified = new Map<number, boolean>();

  constructor(ops: readonly KvOperation[]) {
    const n = ops.length;
    this.kind = new Uint8Array(n);
    this.a = new Int32Array(n);
    let maxChars = 0;
    for (const op of ops) {
      if (op.input.op === "get" && op.output && "value" in op.output) maxChars = Math.max(maxChars, op.output.value.length);
    }
    this.maxChars = maxChars;
    this.parent[EMPTY] = -1;
    this.piece[EMPTY] = -1;
    for (let i = 0; i < n; i++) {
      const { input, output } = ops[i]!;
      if (input.op === "get") {
        this.kind[i] = GET;
        if (output && "value" in output) {
          this.a[i] = this.outputs.length;
          this.outputs.push(output.value);
          const [ha, hb] = hashes(output.value);
          this.outputHash.push(ha, hb);
        } else this.a[i] = UNKNOWN;
      } else if (input.op === "put") {
        this.kind[i] = PUT;
        this.a[i] = input.value === "" ? EMPTY : this.append(EMPTY, this.pieceOf(input.value));
      } else {
        this.kind[i] = APPEND;
        this.a[i] = this.pieceOf(input.value);
      }
    }
  }

  get stateBytes(): number {
    return this.nodes * NODE_BYTES;
  }

  step(state: number, op: number): number {
    if (this.kind[op] !== GET) return this.effect(state, op);
    const out = this.a[op]!;
    if (out === UNKNOWN) return state;
    return this.textIs(state, out) ? state : -1;
  }

  readOnly(op: number): boolean {
    return this.kind[op] === GET;
  }

  effectName(op: number): string {
    const kind = this.kind[op];
    return kind === GET ? "g" : kind === PUT ? `p${this.a[op]}` : `a${this.a[op]}`;
  }

  contradiction(): number[] | null {
    return null; // which texts appends can make is not cheap to tell
  }

  keepsState(op: number): boolean {
    return this.kind[op] === GET || (this.kind[op] === APPEND && this.pieces[this.a[op]!] === "");
  }

  effect(state: number, op: number): number {
    const kind = this.kind[op];
    if (kind === GET) return state;
    if (kind === PUT) return this.a[op]!;
    return this.append(state, this.a[op]!);
  }

  private pieceOf(text: string): number {
    let id = this.pieceIds.get(text);
    if (id === undefined) {
      id = this.pieces.length;
      this.pieces.push(text);
      this.pieceIds.set(text, id);
      const [ha, hb] = hashes(text);
      this.pieceHashA.push(ha);
      this.pieceHashB.push(hb);
      let pa = 1;
      let pb = 1;
      for (let i = 0; i < text.length; i++) {
        pa = Math.imul(pa, BASE_A);
        pb = Math.imul(pb, BASE_B);
      }
      this.piecePowA.push(pa);
      this.piecePowB.push(pb);
    }
    return id;
  }

  /** The node of `state`'s text followed by piece `p`. */
  private append(state: number, p: number): number {
    if (state === TOO_LONG) return TOO_LONG;
    const text = this.pieces[p]!;
    if (text === "") return state;
    const length = this.length[state]! + text.length;
    if (length > this.maxChars) return TOO_LONG;
    const key = state * KEY_SPAN + p;
    let node = this.children.get(key);
    if (node === undefined) {
      node = this.nodes++;
      if (node === this.parent.length) this.grow();
      this.parent[node] = state;
      this.piece[node] = p;
      this.length[node] = length;
      this.hashA[node] = (Math.imul(this.hashA[state]!, this.piecePowA[p]!) + this.pieceHashA[p]!) | 0;
      this.hashB[node] = (Math.imul(this.hashB[state]!, this.piecePowB[p]!) + this.pieceHashB[p]!) | 0;
      this.children.set(key, node);
    }
    return node;
  }

  /** Whether node `state`'s text is get output number `out`. */
  private textIs(state: number, out: number): boolean {
    if (state === TOO_LONG) return false;
    const expected = this.outputs[out]!;
    if (this.length[state] !== expected.length) return false;
    if (this.hashA[state] !== this.outputHash[2 * out] || this.hashB[state] !== this.outputHash[2 * out + 1]) return false;
    const key = state * KEY_SPAN + out;
    let same = this.verified.get(key);
    if (same === undefined) {
      same = true;
      let end = expected.length;
      for (let node = state; node !== EMPTY && same; node = this.parent[node]!) {
        const text = this.pieces[this.piece[node]!]!;
        end -= text.length;
        same = expected.startsWith(text, end);
      }
      this.verified.set(key, same);
    }
    return same;
  }

  private grow(): void {
    const widen = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.parent = widen(this.parent);
    this.piece = widen(this.piece);
    this.length = widen(this.length);
    this.hashA = widen(this.hashA);
    this.hashB = widen(this.hashB);
  }
}

/** Two polynomial hashes of `text`, modulo 2^32. */
function hashes(text: string): [number, number] {
  let a = 0;
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = (Math.imul(a, BASE_A) + c) | 0;
    b = (Math.imul(b, BASE_B) + c) | 0;
  }
  return [a, b];
}
