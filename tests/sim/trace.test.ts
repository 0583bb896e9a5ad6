// The trace as the pages read it: event objects, causal links, Lamport and vector clocks,
// the causal past, JSONL export, binary encode/decode and the digest.

import { describe, expect, it } from "vitest";
import { decodeTrace, encodeTrace, EVENT_KINDS, sha256Hex, Trace, traceDigest, traceToJsonl, TraceFormatError } from "@/server/sim";
import { nodeSha256Hex, nodeSha256Stream } from "@/server/runner/hash";
import { traceDigestStreaming } from "@/server/sim/trace/codec";
import { builtinProtocol } from "@/server/sim/protocols/registry";
import { parseScenarioText, runScenario } from "@/server/sim";
import { run, scenario, sharedScenario } from "./helpers";

describe("trace of the journal (01)", () => {
  const { summary, trace } = run(sharedScenario("01-request-lost.yaml"));

  it("lists nodes in scenario order and links deliveries to their sends", () => {
    expect(trace.nodes).toEqual(["C1", "C2"]);
    const deliver = trace.event(5);
    expect(deliver).toMatchObject({ kind: "deliver", node: "C2", peer: "C1", messageType: "request", attempt: 2, cause: 4 });
    expect(trace.event(4)).toMatchObject({ kind: "resend", node: "C1", message: deliver.message });
    expect(trace.event(2)).toMatchObject({ kind: "drop", reason: "fault", fault: 0, cause: 1 });
  });

  it("derives Lamport clocks, vector clocks and the causal past exactly", () => {
    // C1: issue 1, send 2, drop 3, timeout 4, resend 5; C2: deliver max(0,5)+1 = 6, process 7,
    // execute 8, respond 9; C1: deliver max(5, 9)+1 = 10, accept 11.
    expect(Array.from(trace.lamport)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0]);
    expect(trace.vectorClock(5)).toEqual([5, 1]);
    expect(trace.vectorClock(10)).toEqual([7, 4]);
    expect(trace.vectorClock(8)).toEqual([5, 4]);
    expect(Array.from(trace.causalPast(6))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(trace.happensBefore(2, 9)).toBe(true);
    expect(trace.happensBefore(9, 2)).toBe(false);
  });

  it("exports JSONL: one JSON object per event", () => {
    const lines = traceToJsonl(trace).trimEnd().split("\n");
    expect(lines).toHaveLength(trace.length);
    const objs = lines.map((l) => JSON.parse(l) as { index: number; kind: string });
    expect(objs.map((o) => o.kind)).toEqual(Array.from({ length: trace.length }, (_, i) => trace.kindName(i)));
    expect(objs[5]).toEqual(trace.event(5));
    for (const o of objs) expect(EVENT_KINDS).toContain(o.kind);
  });

  it("round-trips through the binary encoding with the same digest", () => {
    const bytes = encodeTrace(trace);
    expect(Array.from(bytes.slice(0, 4))).toEqual([0x46, 0x4c, 0x54, 0x52]);
    const back = decodeTrace(bytes);
    expect(back.length).toBe(trace.length);
    expect(back.nodes).toEqual(trace.nodes);
    expect(back.seed).toBe(1);
    for (let i = 0; i < trace.length; i++) expect(back.event(i)).toEqual(trace.event(i));
    expect(traceDigest(back)).toBe(summary.traceDigest);
    expect(() => decodeTrace(new Uint8Array([1, 2, 3]))).toThrow(TraceFormatError);
    const truncated = bytes.slice(0, bytes.length - 9);
    expect(() => decodeTrace(truncated)).toThrow(TraceFormatError);
  });

  it("keeps local clock readings and Byzantine marks", () => {
    const lie = run(sharedScenario("07-byzantine-lie.yaml")).trace;
    const back = decodeTrace(encodeTrace(lie));
    const respond = back.event(5);
    expect(respond).toMatchObject({ kind: "respond", byzantine: "lie", value: "not ok", trueValue: "ok" });
  });
});

describe("sha256", () => {
  it("matches the FIPS 180-2 test vectors", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sha256Hex(enc(""))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex(enc("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex(enc("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    expect(sha256Hex(new Uint8Array(1_000_000).fill(0x61))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });

  it("agrees with node:crypto, which Node callers use for digests, on every length", () => {
    for (let n = 0; n < 300; n += 7) {
      const bytes = Uint8Array.from({ length: n * 37 }, (_, i) => (i * 131 + n) & 0xff);
      expect(sha256Hex(bytes)).toBe(nodeSha256Hex(bytes));
    }
  });

  it("gives the same trace digest with either implementation", () => {
    for (const file of ["01-request-lost.yaml", "04-server-slow.yaml", "09-lossy-network-sweep.yaml"]) {
      const { trace } = run(sharedScenario(file));
      expect(traceDigest(trace, nodeSha256Hex)).toBe(traceDigest(trace));
    }
  });

  it("gives the same digest when hashed while encoding, for traces bigger than its buffer, in both layouts", () => {
    const closedLoop = scenario(`
version: 1
name: closed loop
maxEvents: 200000
nodes: [{ id: a }, { id: b }, { id: c }, { id: d }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol: { kind: request-response, client: { timeout: 50ms, retries: 3 } }
workload: [{ clients: all, target: random, outstanding: 1, op: read, key: k }]
`);
    const raft = parseScenarioText(builtinProtocol("raft")!.example);
    if (!raft.ok) throw new Error(JSON.stringify(raft.problems));
    for (const s of [closedLoop, raft.scenario]) {
      // Streamed first (nothing encoded yet), then in memory: the same bytes went in.
      const streamed = runScenario(s, { seed: 3, sha256Stream: nodeSha256Stream });
      const pure = runScenario(s, { seed: 3 });
      const fresh = runScenario(s, { seed: 3 }).trace!;
      expect(streamed.summary.traceDigest).toBe(pure.summary.traceDigest);
      expect(traceDigestStreaming(fresh)).toBe(pure.summary.traceDigest);
      expect(encodeTrace(fresh).length).toBeGreaterThan(300_000);
    }
  });
});

const PINNED_COLUMNS_DIGEST = "sha256:7f4856fad0d3d88715b155af0ba0b2c62dc34a0c220a970fe67d0ddfbc7e9a1c";

describe("binary encoding of columns", () => {
  it("round-trips every value exactly: varint length boundaries, differences beyond 32 bits, one-byte chunks next to wide ones", () => {
    const edges = [0, 1, -1, 63, 64, -64, -65, 8191, 8192, -8193, 2 ** 20, 2 ** 27 - 1, 2 ** 27, -(2 ** 27) - 1, 2 ** 30, -(2 ** 30), 2 ** 31 - 1, -(2 ** 31)];
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const n = 6 * 4096 + 17;
    // Chunks of 4096 values: small ones only; edges mixed in; small ones again; then the lowest
    // value over two chunks, and a chunk alternating it with the highest, whose differences wrap
    // around 32 bits to -1 and 1.
    const value = (i: number) => {
      const chunk = Math.floor(i / 4096);
      if (chunk === 3 || chunk === 4) return -(2 ** 31);
      if (chunk === 5) return i % 2 === 0 ? -(2 ** 31) : 2 ** 31 - 1;
      return chunk === 1 && next() < 0.3 ? edges[Math.floor(next() * edges.length)]! : Math.floor(next() * 100) - 50;
    };
    const int32 = () => Int32Array.from({ length: n }, (_, i) => value(i));
    let t = 0;
    const time = Float64Array.from({ length: n }, (_, i) => (t += i % 3 === 0 ? 0 : Math.floor(next() * 20_000)));
    const u16 = () => Uint16Array.from({ length: n }, (_, i) => (i >= 4096 && i < 8192 ? Math.floor(next() * 65536) : Math.floor(next() * 128)));
    const trace = new Trace({
      layout: "request-response",
      engine: "test",
      scenario: "columns",
      seed: 1,
      nodes: ["A"],
      faults: [],
      strings: [],
      length: n,
      time,
      kind: Uint8Array.from({ length: n }, () => Math.floor(next() * 16)),
      node: u16(),
      ref: int32(),
      aux: int32(),
      local: { count: 0, index: new Int32Array(0), timeUs: new Float64Array(0) },
      requests: { count: n, client: u16(), server: u16(), op: new Uint8Array(n), key: int32(), value: int32(), workload: int32(), parent: int32(), issue: int32() },
      messages: {
        count: n,
        from: u16(),
        to: u16(),
        type: new Uint8Array(n),
        request: int32(),
        attempt: u16(),
        value: int32(),
        trueValue: int32(),
        byzantine: Int8Array.from({ length: n }, (_, i) => (i >= 4096 && i < 8192 ? Math.floor(next() * 256) - 128 : -1)),
        byzantineFault: Int16Array.from({ length: n }, (_, i) => (i >= 4096 && i < 8192 ? Math.floor(next() * 65536) - 32768 : -1)),
        send: int32(),
      },
    });
    const back = decodeTrace(encodeTrace(trace)).data;
    const d = trace.data;
    if (back.layout !== "request-response" || d.layout !== "request-response") throw new Error("layout");
    for (const c of ["time", "kind", "node", "ref", "aux"] as const) expect(Array.from(back[c]), c).toEqual(Array.from(d[c]));
    for (const c of ["client", "server", "key", "value", "workload", "parent", "issue"] as const) expect(Array.from(back.requests[c]), c).toEqual(Array.from(d.requests[c]));
    for (const c of ["from", "to", "request", "attempt", "value", "trueValue", "byzantine", "byzantineFault", "send"] as const) {
      expect(Array.from(back.messages[c]), c).toEqual(Array.from(d.messages[c]));
    }
    expect(traceDigest(back)).toBe(traceDigest(trace));
    // The bytes too: pinned from the encoder these columns were first written with (a wrapped
    // difference would decode to the same values, but not give the same digest).
    expect(traceDigest(trace)).toBe(PINNED_COLUMNS_DIGEST);
  });
});

describe("decodeTrace on damaged input", () => {
  it("either decodes or throws TraceFormatError, never anything else", async () => {
    const fc = (await import("fast-check")).default;
    const bytes = encodeTrace(run(sharedScenario("03-server-crash.yaml")).trace);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }), fc.nat(bytes.length), (edits, cut) => {
        const b = bytes.slice(0, Math.max(12, cut));
        for (const [i, v] of edits) if (i < b.length) b[i] = v;
        try {
          decodeTrace(b);
        } catch (err) {
          expect(err).toBeInstanceOf(TraceFormatError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
