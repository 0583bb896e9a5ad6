// The binary trace format (versioned, compact: columns of varints) and the canonical digest.
// The worker stores these bytes, the browser decodes them; traceDigest = "sha256:" + hex of the body.
// Two layouts share the event columns: request-response (format 1, its requests and messages) and
// nodes (format 2, whose header says so: messages with bodies, operations, notes).

import { Sha256 } from "./sha256";
import { Trace } from "./trace";
import type { NodeTraceData, RequestResponseTraceData, TraceData } from "./recorder";

/** "FLTR": Faultline trace. */
const MAGIC = [0x46, 0x4c, 0x54, 0x52];
/** The newest format this code writes and reads; a request-response trace is still written as format 1. */
export const TRACE_FORMAT_VERSION = 2;
const FORMAT_REQUEST_RESPONSE = 1;

export class TraceFormatError extends Error {
  override name = "TraceFormatError";
}

/** Something that takes the body in pieces (an incremental SHA-256). */
export interface ByteSink {
  update(bytes: Uint8Array): unknown;
}

/** A streaming SHA-256: `update` pieces, then `hex` once. */
export interface Sha256Stream extends ByteSink {
  hex(): string;
}

/** Bytes handed to a sink at a time when streaming: small enough to stay in cache while hashed. */
const SINK_BYTES = 1 << 18;

/**
 * Appends bytes and LEB128 varints to a growing buffer; with a sink, a fixed buffer handed to the
 * sink whenever it fills (the digest of a big trace without a copy of its encoding in memory).
 */
class ByteWriter {
  buf: Uint8Array;
  pos = 0;
  constructor(
    capacity: number,
    private readonly sink: ByteSink | null = null,
  ) {
    this.buf = new Uint8Array(sink ? Math.max(SINK_BYTES, capacity) : Math.max(64, capacity));
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.sink) {
      this.drain();
      if (n <= this.buf.length) return;
    }
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  /** Hands what is buffered to the sink (streaming only). */
  drain(): void {
    if (this.sink && this.pos > 0) this.sink.update(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
  bytes(b: Uint8Array): void {
    if (this.sink && b.length > this.buf.length - this.pos) {
      this.drain();
      if (b.length > this.buf.length) {
        this.sink.update(b);
        return;
      }
    }
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  u32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v & 0xff;
    b[p + 1] = (v >>> 8) & 0xff;
    b[p + 2] = (v >>> 16) & 0xff;
    b[p + 3] = (v >>> 24) & 0xff;
    this.pos = p + 4;
  }
  /** Unsigned integer up to 2^53. */
  uv(v: number): void {
    this.ensure(8);
    const b = this.buf;
    let p = this.pos;
    if (v < 0x80) {
      b[p] = v;
      this.pos = p + 1;
      return;
    }
    while (v >= 0x80000000) {
      b[p++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
  }
  /** Signed integer (zigzag). */
  sv(v: number): void {
    this.uv(v >= 0 ? v * 2 : -v * 2 - 1);
  }
}

class ByteReader {
  pos: number;
  constructor(
    private readonly buf: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new TraceFormatError("the trace is truncated");
  }
  u32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  uv(): number {
    const b = this.buf;
    let p = this.pos;
    if (p >= b.length) throw new TraceFormatError("the trace is truncated");
    let byte = b[p++]!;
    if (byte < 0x80) {
      this.pos = p;
      return byte;
    }
    let v = byte & 0x7f;
    let mult = 128;
    for (;;) {
      if (p >= b.length) throw new TraceFormatError("the trace is truncated");
      byte = b[p++]!;
      v += (byte & 0x7f) * mult;
      if (byte < 0x80) break;
      mult *= 128;
      if (mult > 2 ** 56) throw new TraceFormatError("a number in the trace is too large");
    }
    this.pos = p;
    return v;
  }
  sv(): number {
    const z = this.uv();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}

type IntColumn = Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array | Float64Array;

/** Column encodings: raw bytes, unsigned, signed, or signed difference from the previous value. */
const RAW = 0;
const UNSIGNED = 1;
const SIGNED = 2;
const DELTA = 3;

const CHUNK = 4096;

/** Varint of a non-negative number below 2^53 at b[p]; returns the new position. */
function varintAt(b: Uint8Array, p: number, v: number): number {
  while (v >= 0x80000000) {
    b[p++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  while (v >= 0x80) {
    b[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  b[p++] = v;
  return p;
}

// The column writers below are the digest's hot loops (tens of millions of values for a big run).
// Two things make them fast: a chunk whose values all take one byte is written in one pass with no
// branch per value (checked afterwards, and written again the general way if a value did not fit);
// and an Int32 column whose values take one to four bytes unpredictably (references alternating
// between messages and requests) is written without a branch on the length, which the processor
// would mispredict about once a value.

/** Small unsigned columns (node ids, counts): no conversion, at most three bytes a value. */
function writeUnsignedSmall(w: ByteWriter, col: Uint16Array | Uint8Array): void {
  const n = col.length;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    w.ensure((end - start) * 3);
    const b = w.buf;
    let p = w.pos;
    let or = 0;
    for (let i = start; i < end; i++) or |= col[i]!;
    if (or < 0x80) {
      // Every value is its own varint: the engine converts the chunk to bytes.
      b.set(col.subarray(start, end), p);
      w.pos = p + (end - start);
      continue;
    }
    for (let i = start; i < end; i++) {
      const v = col[i]!;
      if (v < 0x80) b[p++] = v;
      else if (v < 0x4000) {
        b[p++] = (v & 0x7f) | 0x80;
        b[p++] = v >>> 7;
      } else {
        b[p++] = (v & 0x7f) | 0x80;
        b[p++] = ((v >>> 7) & 0x7f) | 0x80;
        b[p++] = v >>> 14;
      }
    }
    w.pos = p;
  }
}

/** Int32 columns, as zigzag varints of the values or of their differences: integer arithmetic while it fits. */
function writeInt32(w: ByteWriter, col: Int32Array, delta: boolean): void {
  if (delta) writeInt32Delta(w, col);
  else writeInt32Signed(w, col);
}

/**
 * Up to four bytes of the zigzag value z (below 2^28) at b[p], written whole with no branch on the
 * length, which decides where the next value starts; returns that position.
 */
function varint4At(b: Uint8Array, p: number, z: number): number {
  // Bytes after the first: 0 to 3.
  const more = ((0x7f - z) >>> 31) + ((0x3fff - z) >>> 31) + ((0x1fffff - z) >>> 31);
  b[p] = z | 0x80;
  b[p + 1] = (z >>> 7) | 0x80;
  b[p + 2] = (z >>> 14) | 0x80;
  b[p + more] = z >>> (7 * more);
  return p + more + 1;
}

function writeInt32Signed(w: ByteWriter, col: Int32Array): void {
  const n = col.length;
  // Whether the last chunk took one byte a value: then this one is first written as if it did too.
  let oneByte = true;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    w.ensure((end - start) * 8);
    const b = w.buf;
    let p = w.pos;
    if (oneByte) {
      let wide = 0;
      for (let i = start, o = p - start; i < end; i++) {
        const x = col[i]!;
        const z = (x << 1) ^ (x >> 31);
        wide |= z;
        b[o + i] = z;
      }
      if ((wide & ~0x7f) === 0) {
        w.pos = p + (end - start);
        continue;
      }
    }
    for (let i = start; i < end; i++) {
      const x = col[i]!;
      const z = (x << 1) ^ (x >> 31);
      if (z >>> 28 === 0) p = varint4At(b, p, z);
      else p = varintAt(b, p, z >>> 0);
    }
    oneByte = p - w.pos === end - start;
    w.pos = p;
  }
}

function writeInt32Delta(w: ByteWriter, col: Int32Array): void {
  const n = col.length;
  let prev = 0;
  let oneByte = true;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    w.ensure((end - start) * 8);
    const b = w.buf;
    let p = w.pos;
    if (oneByte) {
      // `wide` stays 0 while every difference's zigzag fits in 7 bits and no difference overflows
      // 32 bits (the sign of (v ^ q) & (v ^ x) tells an overflow of v - q).
      let wide = 0;
      let q = prev;
      for (let i = start, o = p - start; i < end; i++) {
        const v = col[i]!;
        const x = (v - q) | 0;
        const z = (x << 1) ^ (x >> 31);
        wide |= (z & ~0x7f) | (((v ^ q) & (v ^ x)) >> 31);
        b[o + i] = z;
        q = v;
      }
      if (wide === 0) {
        w.pos = p + (end - start);
        prev = q;
        continue;
      }
    }
    for (let i = start; i < end; i++) {
      const v = col[i]!;
      const x = (v - prev) | 0;
      const z = (x << 1) ^ (x >> 31);
      if (((v ^ prev) & (v ^ x)) >= 0 && z >>> 28 === 0) p = varint4At(b, p, z);
      else {
        const d = v - prev;
        p = varintAt(b, p, d >= 0 ? d * 2 : -d * 2 - 1);
      }
      prev = v;
    }
    oneByte = p - w.pos === end - start;
    w.pos = p;
  }
}

/** Int8 and Int16 columns, as zigzag varints of the values: at most three bytes a value. */
function writeSmallSigned(w: ByteWriter, col: Int8Array | Int16Array): void {
  const n = col.length;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    w.ensure((end - start) * 3);
    const b = w.buf;
    let p = w.pos;
    let or = 0;
    for (let i = start, o = p - start; i < end; i++) {
      const x = col[i]!;
      const z = (x << 1) ^ (x >> 31);
      or |= z;
      b[o + i] = z;
    }
    if (or < 0x80) {
      w.pos = p + (end - start);
      continue;
    }
    for (let i = start; i < end; i++) {
      const x = col[i]!;
      const z = (x << 1) ^ (x >> 31);
      if (z < 0x80) b[p++] = z;
      else if (z < 0x4000) {
        b[p++] = (z & 0x7f) | 0x80;
        b[p++] = z >>> 7;
      } else {
        b[p++] = (z & 0x7f) | 0x80;
        b[p++] = ((z >>> 7) & 0x7f) | 0x80;
        b[p++] = z >>> 14;
      }
    }
    w.pos = p;
  }
}

/** Float64 columns of whole numbers (times in µs), as zigzag varints of their differences. */
function writeFloat64Delta(w: ByteWriter, col: Float64Array): void {
  const n = col.length;
  let prev = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    w.ensure((end - start) * 8);
    const b = w.buf;
    let p = w.pos;
    for (let i = start; i < end; i++) {
      const v = col[i]!;
      const x = v - prev;
      prev = v;
      const z = x >= 0 ? x * 2 : -x * 2 - 1;
      if (z < 0x80) b[p++] = z;
      else p = varintAt(b, p, z);
    }
    w.pos = p;
  }
}

/** Any other column (small tables): converted to one element type, then written as varints. */
function writeColumn(w: ByteWriter, col: IntColumn, mode: number): void {
  if (mode === RAW) {
    w.bytes(col instanceof Uint8Array ? col : new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
    return;
  }
  if (mode === UNSIGNED && (col instanceof Uint16Array || col instanceof Uint8Array)) return writeUnsignedSmall(w, col);
  if (col instanceof Int32Array && mode !== UNSIGNED) return writeInt32(w, col, mode === DELTA);
  if (col instanceof Float64Array && mode === DELTA) return writeFloat64Delta(w, col);
  if (mode === SIGNED && (col instanceof Int8Array || col instanceof Int16Array)) return writeSmallSigned(w, col);
  const values = col instanceof Float64Array ? col : new Float64Array(col);
  const n = values.length;
  let prev = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    w.ensure((end - start) * 8);
    const b = w.buf;
    let p = w.pos;
    for (let i = start; i < end; i++) {
      let v = values[i]!;
      if (mode === DELTA) {
        const x = v - prev;
        prev = v;
        v = x;
      }
      if (mode !== UNSIGNED) v = v >= 0 ? v * 2 : -v * 2 - 1;
      p = varintAt(b, p, v);
    }
    w.pos = p;
  }
}

function readColumn<T extends IntColumn>(r: ByteReader, Ctor: { new (n: number): T; new (values: Float64Array): T }, n: number, mode: number): T {
  if (mode === RAW) {
    const out = new Ctor(n);
    out.set(r.bytes(n) as never);
    return out;
  }
  const values = new Float64Array(n);
  if (mode === UNSIGNED) for (let i = 0; i < n; i++) values[i] = r.uv();
  else if (mode === SIGNED) for (let i = 0; i < n; i++) values[i] = r.sv();
  else {
    let prev = 0;
    for (let i = 0; i < n; i++) {
      prev += r.sv();
      values[i] = prev;
    }
  }
  return Ctor === (Float64Array as unknown) ? (values as T) : new Ctor(values);
}

/**
 * The canonical body: u32 length + header JSON (nodes, faults, strings, counts), then every column
 * in a fixed order, each as varints (times, references and event indices as differences).
 */
function encodeBody(d: TraceData, sink: ByteSink | null = null): Uint8Array {
  return d.layout === "nodes" ? encodeNodeBody(d, sink) : encodeRequestResponseBody(d, sink);
}

function writeEventColumns(w: ByteWriter, d: TraceData): void {
  writeColumn(w, d.time, DELTA);
  writeColumn(w, d.kind, RAW);
  writeColumn(w, d.node, UNSIGNED);
  writeColumn(w, d.ref, DELTA);
  writeColumn(w, d.aux, SIGNED);
}

function writeLocal(w: ByteWriter, d: TraceData): void {
  writeColumn(w, d.local.index, DELTA);
  writeColumn(w, d.local.timeUs, DELTA);
}

function startBody(header: unknown, estimate: number, sink: ByteSink | null): ByteWriter {
  const bytes = new TextEncoder().encode(JSON.stringify(header));
  const w = sink ? new ByteWriter(0, sink) : new ByteWriter(bytes.length + 8 + estimate);
  w.u32(bytes.length);
  w.bytes(bytes);
  return w;
}

function encodeRequestResponseBody(d: RequestResponseTraceData, sink: ByteSink | null): Uint8Array {
  const header = {
    nodes: d.nodes,
    faults: d.faults,
    strings: d.strings,
    events: d.length,
    requests: d.requests.count,
    messages: d.messages.count,
    local: d.local.count,
  };
  const w = startBody(header, d.length * 6 + d.messages.count * 12 + d.requests.count * 10 + d.local.count * 6, sink);
  const q = d.requests;
  const m = d.messages;
  writeEventColumns(w, d);
  writeColumn(w, q.client, UNSIGNED);
  writeColumn(w, q.server, UNSIGNED);
  writeColumn(w, q.op, RAW);
  writeColumn(w, q.key, SIGNED);
  writeColumn(w, q.value, SIGNED);
  writeColumn(w, q.workload, SIGNED);
  writeColumn(w, q.parent, SIGNED);
  writeColumn(w, q.issue, DELTA);
  writeColumn(w, m.from, UNSIGNED);
  writeColumn(w, m.to, UNSIGNED);
  writeColumn(w, m.type, RAW);
  writeColumn(w, m.request, DELTA);
  writeColumn(w, m.attempt, UNSIGNED);
  writeColumn(w, m.value, SIGNED);
  writeColumn(w, m.trueValue, SIGNED);
  writeColumn(w, m.byzantine, SIGNED);
  writeColumn(w, m.byzantineFault, SIGNED);
  writeColumn(w, m.send, DELTA);
  writeLocal(w, d);
  return finish(w, sink);
}

/** The body, or (streaming) an empty array once the last bytes went to the sink. */
function finish(w: ByteWriter, sink: ByteSink | null): Uint8Array {
  if (!sink) return w.buf.subarray(0, w.pos);
  w.drain();
  return new Uint8Array(0);
}

function encodeNodeBody(d: NodeTraceData, sink: ByteSink | null): Uint8Array {
  // The protocol's name is metadata, not content: a built-in protocol and its fork into a program
  // of the same files give the same events, and so the same digest.
  const header = {
    layout: "nodes",
    nodes: d.nodes,
    faults: d.faults,
    strings: d.strings,
    events: d.length,
    messages: d.messages.count,
    ops: d.ops.count,
    notes: d.notes.count,
    local: d.local.count,
  };
  const w = startBody(header, d.length * 6 + d.messages.count * 12 + d.ops.count * 16 + d.notes.count * 4 + d.local.count * 6, sink);
  const m = d.messages;
  const o = d.ops;
  writeEventColumns(w, d);
  writeColumn(w, m.from, UNSIGNED);
  writeColumn(w, m.to, UNSIGNED);
  writeColumn(w, m.type, SIGNED);
  writeColumn(w, m.body, SIGNED);
  writeColumn(w, m.send, DELTA);
  writeColumn(w, o.client, UNSIGNED);
  writeColumn(w, o.node, UNSIGNED);
  writeColumn(w, o.invoke, DELTA);
  writeColumn(w, o.complete, SIGNED);
  writeColumn(w, o.input, SIGNED);
  writeColumn(w, o.output, SIGNED);
  writeColumn(w, o.outcome, SIGNED);
  writeColumn(w, d.notes.name, SIGNED);
  writeColumn(w, d.notes.fields, SIGNED);
  writeLocal(w, d);
  return finish(w, sink);
}

const bodies = new WeakMap<TraceData, Uint8Array>();

/** The canonical body, computed once per trace (the digest and the encoding share it). */
function bodyOf(d: TraceData): Uint8Array {
  let b = bodies.get(d);
  if (!b) {
    b = encodeBody(d);
    bodies.set(d, b);
  }
  return b;
}

/** "FLTR", format version (u16), reserved (u16), metadata length (u32) and JSON, then the body. */
export function encodeTrace(trace: Trace): Uint8Array {
  const d = trace.data;
  const meta = new TextEncoder().encode(JSON.stringify({ engine: d.engine, scenario: d.scenario, seed: d.seed, ...(d.layout === "nodes" ? { protocol: d.protocol } : {}) }));
  const body = bodyOf(d);
  const out = new Uint8Array(12 + meta.length + body.length);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint16(4, d.layout === "nodes" ? TRACE_FORMAT_VERSION : FORMAT_REQUEST_RESPONSE, true);
  dv.setUint16(6, 0, true);
  dv.setUint32(8, meta.length, true);
  out.set(meta, 12);
  out.set(body, 12 + meta.length);
  return out;
}

/**
 * "sha256:" + hex of the canonical body: every event and table, not the run's metadata (so another
 * seed or a renamed scenario with the same events has the same digest).
 */
export function traceDigest(trace: Trace | TraceData, sha256Hex: (bytes: Uint8Array) => string = pureSha256Hex): string {
  const d = trace instanceof Trace ? trace.data : trace;
  return "sha256:" + sha256Hex(bodyOf(d));
}

/**
 * The same digest, hashed while the body is encoded in small pieces: no copy of the encoded trace
 * in memory (for callers that want only the digest, like `faultline run`). A body already encoded
 * for this trace is hashed as it is.
 */
export function traceDigestStreaming(trace: Trace | TraceData, createSha256: () => Sha256Stream = () => new Sha256()): string {
  const d = trace instanceof Trace ? trace.data : trace;
  const hash = createSha256();
  const body = bodies.get(d);
  if (body) hash.update(body);
  else encodeBody(d, hash);
  return "sha256:" + hash.hex();
}

function pureSha256Hex(bytes: Uint8Array): string {
  return new Sha256().update(bytes).hex();
}

interface TraceHeader {
  layout?: string;
  protocol?: string;
  nodes: string[];
  faults: string[];
  strings: string[];
  events: number;
  requests?: number;
  messages: number;
  ops?: number;
  notes?: number;
  local: number;
}

export function decodeTrace(bytes: Uint8Array): Trace {
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) throw new TraceFormatError("not a Faultline trace");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint16(4, true);
  if (version !== FORMAT_REQUEST_RESPONSE && version !== TRACE_FORMAT_VERSION) {
    throw new TraceFormatError(`trace format version ${version} is not supported (this reader knows 1 to ${TRACE_FORMAT_VERSION})`);
  }
  const dec = new TextDecoder();
  const r = new ByteReader(bytes, 8);
  const metaLen = r.u32();
  let meta: { engine: string; scenario: string; seed: number; protocol?: string };
  let header: TraceHeader;
  try {
    meta = JSON.parse(dec.decode(r.bytes(metaLen))) as typeof meta;
    const headerLen = r.u32();
    header = JSON.parse(dec.decode(r.bytes(headerLen))) as TraceHeader;
  } catch (err) {
    if (err instanceof TraceFormatError) throw err;
    throw new TraceFormatError("the trace header is damaged");
  }
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
  if (meta === null || typeof meta !== "object" || header === null || typeof header !== "object" || !isStrings(header.nodes) || !isStrings(header.faults) || !isStrings(header.strings)) {
    throw new TraceFormatError("the trace header is damaged");
  }
  const nodesLayout = version === TRACE_FORMAT_VERSION && header.layout === "nodes";
  const counts = nodesLayout ? [header.events, header.messages, header.ops, header.notes, header.local] : [header.events, header.requests, header.messages, header.local];
  for (const n of counts) {
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > bytes.length) throw new TraceFormatError("the trace header is damaged");
  }
  const L = header.events;
  const base = {
    engine: meta.engine,
    scenario: meta.scenario,
    seed: meta.seed,
    nodes: header.nodes,
    faults: header.faults,
    strings: header.strings,
    length: L,
    time: readColumn(r, Float64Array, L, DELTA),
    kind: readColumn(r, Uint8Array, L, RAW),
    node: readColumn(r, Uint16Array, L, UNSIGNED),
    ref: readColumn(r, Int32Array, L, DELTA),
    aux: readColumn(r, Int32Array, L, SIGNED),
  };
  const data: TraceData = nodesLayout ? readNodeTables(r, { ...header, protocol: meta.protocol }, base) : readRequestResponseTables(r, header, base);
  if (r.pos !== bytes.length) throw new TraceFormatError("the trace has trailing bytes");
  return new Trace(data);
}

type EventBase = Omit<TraceData, "layout" | "local" | "messages" | "requests" | "ops" | "notes" | "protocol">;

function readLocal(r: ByteReader, K: number): TraceData["local"] {
  return { count: K, index: readColumn(r, Int32Array, K, DELTA), timeUs: readColumn(r, Float64Array, K, DELTA) };
}

function readRequestResponseTables(r: ByteReader, header: TraceHeader, base: EventBase): RequestResponseTraceData {
  const R = header.requests!;
  const M = header.messages;
  return {
    layout: "request-response",
    ...base,
    requests: {
      count: R,
      client: readColumn(r, Uint16Array, R, UNSIGNED),
      server: readColumn(r, Uint16Array, R, UNSIGNED),
      op: readColumn(r, Uint8Array, R, RAW),
      key: readColumn(r, Int32Array, R, SIGNED),
      value: readColumn(r, Int32Array, R, SIGNED),
      workload: readColumn(r, Int32Array, R, SIGNED),
      parent: readColumn(r, Int32Array, R, SIGNED),
      issue: readColumn(r, Int32Array, R, DELTA),
    },
    messages: {
      count: M,
      from: readColumn(r, Uint16Array, M, UNSIGNED),
      to: readColumn(r, Uint16Array, M, UNSIGNED),
      type: readColumn(r, Uint8Array, M, RAW),
      request: readColumn(r, Int32Array, M, DELTA),
      attempt: readColumn(r, Uint16Array, M, UNSIGNED),
      value: readColumn(r, Int32Array, M, SIGNED),
      trueValue: readColumn(r, Int32Array, M, SIGNED),
      byzantine: readColumn(r, Int8Array, M, SIGNED),
      byzantineFault: readColumn(r, Int16Array, M, SIGNED),
      send: readColumn(r, Int32Array, M, DELTA),
    },
    local: readLocal(r, header.local),
  };
}

function readNodeTables(r: ByteReader, header: TraceHeader, base: EventBase): NodeTraceData {
  const M = header.messages;
  const O = header.ops!;
  const T = header.notes!;
  return {
    layout: "nodes",
    protocol: typeof header.protocol === "string" ? header.protocol : "custom",
    ...base,
    messages: {
      count: M,
      from: readColumn(r, Uint16Array, M, UNSIGNED),
      to: readColumn(r, Uint16Array, M, UNSIGNED),
      type: readColumn(r, Int32Array, M, SIGNED),
      body: readColumn(r, Int32Array, M, SIGNED),
      send: readColumn(r, Int32Array, M, DELTA),
    },
    ops: {
      count: O,
      client: readColumn(r, Uint16Array, O, UNSIGNED),
      node: readColumn(r, Uint16Array, O, UNSIGNED),
      invoke: readColumn(r, Int32Array, O, DELTA),
      complete: readColumn(r, Int32Array, O, SIGNED),
      input: readColumn(r, Int32Array, O, SIGNED),
      output: readColumn(r, Int32Array, O, SIGNED),
      outcome: readColumn(r, Int8Array, O, SIGNED),
    },
    notes: { count: T, name: readColumn(r, Int32Array, T, SIGNED), fields: readColumn(r, Int32Array, T, SIGNED) },
    local: readLocal(r, header.local),
  };
}
