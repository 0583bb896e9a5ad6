// Statistical checks against closed forms: success rates under loss with retries, duplication rate,
// and the means of the latency distributions, each within a few standard deviations.

import { describe, expect, it } from "vitest";
import { runScenario } from "@/server/sim";
import { eventsOfKind, run, scenario } from "./helpers";

function lossy(p: number, retries: number, count: number) {
  // Constant latency 10 ms and a 100 ms timeout: every round trip (20 ms) ends before the timer,
  // so attempts are independent and each succeeds with (1-p)^2.
  return scenario(`
version: 1
name: binomial
until: 80000s
maxEvents: 10000000
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms, loss: ${p} }
protocol: { kind: request-response, client: { timeout: 100ms, retries: ${retries} } }
workload: [{ client: C1, server: C2, op: read, key: k, count: ${count}, interval: 1s }]
`);
}

function expectBinomial(successes: number, n: number, p: number) {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(successes - n * p)).toBeLessThan(4 * sd);
}

describe("success under loss with retries: P = 1 - (1 - (1-p)^2)^(r+1)", () => {
  for (const [p, r] of [
    [0.3, 2],
    [0.1, 0],
    [0.5, 3],
  ] as const) {
    it(`p = ${p}, r = ${r}`, () => {
      const n = 5000;
      const { summary } = runScenario(lossy(p, r, n), { seed: 42, recordTrace: false });
      const P = 1 - Math.pow(1 - Math.pow(1 - p, 2), r + 1);
      expect(summary.metrics.requests.issued).toBe(n);
      expectBinomial(summary.metrics.requests.succeeded, n, P);
      // Each message is lost with p: dropped / sent is binomial too.
      expectBinomial(summary.metrics.messages.dropped, summary.metrics.messages.sent, p);
    });
  }

  it("holds across seeds as well as across requests", () => {
    const s = lossy(0.2, 1, 200);
    let ok = 0;
    let n = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const m = runScenario(s, { seed, recordTrace: false }).summary.metrics.requests;
      ok += m.succeeded;
      n += m.issued;
    }
    expectBinomial(ok, n, 1 - Math.pow(1 - 0.64, 2));
  });
});

describe("network duplication and latency distributions", () => {
  it("duplicates each delivered message with the given probability", () => {
    const { summary } = runScenario(
      scenario(`
version: 1
name: dup
until: 80000s
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 1ms, duplicate: 0.25 }
protocol: { kind: request-response, client: { timeout: 1s }, server: { dedupe: true } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 4000, interval: 10ms }]
`),
      { seed: 3, recordTrace: false },
    );
    const m = summary.metrics.messages;
    expectBinomial(m.duplicated, m.sent, 0.25);
    expect(m.delivered).toBe(m.sent + m.duplicated);
  });

  for (const [name, dist, mean, sd] of [
    ["uniform", "{ dist: uniform, min: 2ms, max: 10ms }", 6000, 8000 / Math.sqrt(12)],
    ["exponential", "{ dist: exponential, mean: 5ms }", 5000, 5000],
    ["normal", "{ dist: normal, mean: 20ms, sd: 3ms }", 20000, 3000],
    ["lognormal", "{ dist: lognormal, median: 4ms, sigma: 0.5 }", 4000 * Math.exp(0.125), 4000 * Math.sqrt((Math.exp(0.25) - 1) * Math.exp(0.25))],
  ] as const) {
    it(`${name} latency has the right mean`, () => {
      const { trace } = run(
        scenario(`
version: 1
name: lat
until: 80000s
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: ${dist} }
protocol: { kind: request-response, client: { timeout: 10s } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 3000, interval: 1s }]
`),
        9,
      );
      const lat = eventsOfKind(trace, "deliver").map((e) => e.timeUs - trace.event(e.cause!).timeUs);
      const avg = lat.reduce((a, b) => a + b, 0) / lat.length;
      expect(Math.min(...lat)).toBeGreaterThanOrEqual(0);
      expect(Math.abs(avg - mean)).toBeLessThan((5 * sd) / Math.sqrt(lat.length) + 1);
    });
  }
});
