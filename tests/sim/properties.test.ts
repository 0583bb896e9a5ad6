// Property tests over random valid scenarios: determinism and the invariants every run must keep.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeTrace, encodeTrace, runScenario, traceDigest, validateScenario, type Scenario } from "@/server/sim";
import { scenarioArbitrary } from "./arbitraries";

function valid(raw: unknown): Scenario {
  const r = validateScenario(raw);
  if (!r.ok) throw new Error("generator made an invalid scenario: " + JSON.stringify(r.problems));
  return r.scenario;
}

const RUNS = 120;

describe("random scenarios", () => {
  it("the same seed gives the same digest and summary", () => {
    fc.assert(
      fc.property(scenarioArbitrary(), fc.integer({ min: 0, max: 0xffffffff }), (raw, seed) => {
        const s = valid(raw);
        const a = runScenario(s, { seed });
        const b = runScenario(s, { seed });
        expect(b.summary).toEqual(a.summary);
        // Without the trace everything but the digest is the same.
        const c = runScenario(s, { seed, recordTrace: false });
        expect({ ...c.summary, traceDigest: a.summary.traceDigest }).toEqual(a.summary);
      }),
      { numRuns: 60 },
    );
  });

  it("keep message conservation, request accounting and the limits", () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (raw) => {
        const s = valid(raw);
        const { summary: sum } = runScenario(s, { recordTrace: false });
        const m = sum.metrics;
        expect(m.messages.sent + m.messages.duplicated).toBe(m.messages.delivered + m.messages.dropped + m.messages.inFlight);
        const by = m.messages.droppedBy;
        expect(by.loss + by.partition + by.fault + by.receiverDown).toBe(m.messages.dropped);
        for (const r of [m.requests, m.calls!]) {
          expect(r.succeeded + r.failed + r.pending).toBe(r.issued);
          expect(r.attempts).toBeGreaterThanOrEqual(r.issued);
          expect(r.attempts).toBeLessThanOrEqual(r.issued * ((s.protocol.kind === "request-response" ? s.protocol.client.retries : 0) + 1));
        }
        expect(m.executions).toBeLessThanOrEqual(m.requests.attempts + m.messages.duplicated);
        if (m.latencyMs.mean !== null) {
          expect(m.latencyMs.p50!).toBeGreaterThanOrEqual(0);
          expect(m.latencyMs.p50!).toBeLessThanOrEqual(m.latencyMs.p90!);
          expect(m.latencyMs.p90!).toBeLessThanOrEqual(m.latencyMs.p99!);
          expect(m.latencyMs.p99!).toBeLessThanOrEqual(m.latencyMs.max!);
        }
        expect(sum.events).toBeLessThanOrEqual(s.maxEvents);
        expect(sum.virtualTimeMs * 1000).toBeLessThanOrEqual(s.untilUs);
        if (sum.stoppedBy === "idle") expect(m.messages.inFlight).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("keep a causally consistent trace: time, executions, Lamport and vector clocks", () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxNodes: 4 }), fc.integer({ min: 0, max: 1000 }), (raw, pick) => {
        const s = valid(raw);
        const { summary, trace } = runScenario(s);
        if (!trace) throw new Error("no trace");
        expect(trace.length).toBe(summary.traceEvents);
        const d = trace.data;
        const lamport = trace.lamport;
        const lastOnNode = new Map<number, number>();
        const deliveredCopies = new Map<number, number>();
        const executions = new Map<number, number>();
        for (let i = 0; i < trace.length; i++) {
          if (i > 0) expect(d.time[i]!).toBeGreaterThanOrEqual(d.time[i - 1]!);
          const n = trace.nodeIndex(i);
          const kind = trace.kindName(i);
          if (n >= 0) {
            const prev = lastOnNode.get(n);
            if (prev !== undefined) expect(lamport[i]!).toBeGreaterThan(lamport[prev]!);
            lastOnNode.set(n, i);
          }
          if (kind === "deliver") {
            const c = trace.cause(i);
            expect(c).toBeGreaterThanOrEqual(0);
            expect(c).toBeLessThan(i);
            expect(lamport[i]!).toBeGreaterThan(lamport[c]!);
            const e = trace.event(i);
            if (e.messageType === "request") deliveredCopies.set(e.request!, (deliveredCopies.get(e.request!) ?? 0) + 1);
          }
          if (kind === "execute") {
            const r = trace.event(i).request!;
            executions.set(r, (executions.get(r) ?? 0) + 1);
          }
        }
        for (const [r, k] of executions) expect(k).toBeLessThanOrEqual(deliveredCopies.get(r) ?? 0);

        // Vector clocks: a delivery knows everything its send knew; each node's own entry counts its events.
        if (trace.length > 1) {
          const i = pick % (trace.length - 1);
          const vc = trace.vectorClock(i);
          const n = trace.nodeIndex(i);
          if (n >= 0) {
            let own = 0;
            for (let j = 0; j <= i; j++) if (trace.nodeIndex(j) === n) own++;
            expect(vc[n]).toBe(own);
          }
          const past = trace.causalPast(i);
          for (const j of past) {
            if (j === i) continue;
            expect(trace.happensBefore(j, i)).toBe(true);
            expect(lamport[j]!).toBeLessThan(lamport[i]!);
            const vj = trace.vectorClock(j);
            vj.forEach((v, k) => expect(v).toBeLessThanOrEqual(vc[k]!));
          }
          if (trace.kindName(i) === "deliver") {
            const vs = trace.vectorClock(trace.cause(i));
            vs.forEach((v, k) => expect(v).toBeLessThanOrEqual(vc[k]!));
          }
        }

        // Encode / decode keeps everything.
        const back = decodeTrace(encodeTrace(trace));
        expect(traceDigest(back)).toBe(summary.traceDigest);
        if (trace.length > 0) {
          const j = pick % trace.length;
          expect(back.event(j)).toEqual(trace.event(j));
        }
      }),
      { numRuns: 80 },
    );
  });
});
