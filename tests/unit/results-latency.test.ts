// Latencies read back from a trace agree with the simulator's own metrics; histogram bins are
// nice, cover every value and count each once; scatter thinning keeps the extremes.
import { describe, expect, it } from "vitest";
import { nearestRankPercentile, requestLatencies, summarizeLatencies } from "@/app/_components/results/latency";
import { decimate, histogram } from "@/app/_components/results/histogram";
import { runTemplate } from "./results-fixtures";

describe("requestLatencies", () => {
  it("measures first send to accept, as the spec's example says (121 ms)", () => {
    const { trace } = runTemplate("request-lost");
    const l = requestLatencies(trace);
    expect(l.count).toBe(1);
    expect(l.latencyUs[0]).toBe(121_000);
    expect(l.startUs[0]).toBe(0);
    expect(trace.kindName(l.acceptEvent[0]!)).toBe("accept");
  });

  it.each([["lossy-retries", 1], ["lossy-retries", 7], ["server-slow", 1], ["partition", 1], ["unknown-computer", 1]] as const)(
    "agrees with the run's latency metrics (%s, seed %i)",
    (id, seed) => {
      const { trace, summary } = runTemplate(id, seed);
      const l = requestLatencies(trace);
      expect(l.count).toBe(summary.metrics.requests.succeeded);
      const s = summarizeLatencies(l);
      const m = summary.metrics.latencyMs;
      expect(s.p50Ms).toBe(m.p50);
      expect(s.p90Ms).toBe(m.p90);
      expect(s.p99Ms).toBe(m.p99);
      expect(s.maxMs).toBe(m.max);
      if (m.mean === null) expect(s.meanMs).toBeNull();
      else expect(s.meanMs).toBeCloseTo(m.mean, 9);
    },
  );

  it("leaves out downstream calls", () => {
    const { trace, summary } = runTemplate("unknown-computer");
    const l = requestLatencies(trace);
    const d = trace.data;
    if (d.layout !== "request-response") throw new Error("a request-response trace");
    for (let k = 0; k < l.count; k++) expect(d.requests.workload[l.request[k]!]).toBeGreaterThanOrEqual(0);
    expect(summary.metrics.calls!.succeeded).toBeGreaterThan(0);
  });

  it("uses nearest-rank percentiles", () => {
    const xs = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(nearestRankPercentile(xs, 50)).toBe(50);
    expect(nearestRankPercentile(xs, 90)).toBe(90);
    expect(nearestRankPercentile(xs, 99)).toBe(100);
    expect(nearestRankPercentile(xs, 0)).toBe(10);
    expect(nearestRankPercentile([], 50)).toBeNaN();
  });
});

describe("histogram", () => {
  it("uses nice bin widths and counts every value once", () => {
    const values = [3, 7, 12, 12.5, 19.99, 20, 41];
    const h = histogram(values, 4);
    expect(h.edges[1]! - h.edges[0]!).toBe(10);
    expect(h.edges[0]).toBe(0);
    expect(h.edges[h.edges.length - 1]).toBeGreaterThanOrEqual(41);
    expect(h.counts).toEqual([2, 3, 1, 0, 1]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(h.total).toBe(values.length);
  });

  it("puts a value on the top edge in the last bin", () => {
    const h = histogram([0, 10, 20], 2);
    expect(h.edges).toEqual([0, 10, 20]);
    expect(h.counts).toEqual([1, 2]);
  });

  it("gives equal values one bin with a width", () => {
    const h = histogram([121, 121, 121], 20);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(h.edges[1]! - h.edges[0]!).toBeGreaterThan(0);
    expect(h.edges[0]!).toBeLessThanOrEqual(121);
    expect(h.edges[h.edges.length - 1]!).toBeGreaterThan(121);
  });

  it("ignores NaN and infinities and is empty for no values", () => {
    expect(histogram([NaN, Infinity], 5)).toEqual({ edges: [], counts: [], total: 0 });
    expect(histogram([1, NaN, 2], 5).total).toBe(2);
  });

  it("bins real latencies so the counts add up to the answered requests", () => {
    const { trace } = runTemplate("lossy-retries", 2);
    const l = requestLatencies(trace);
    const h = histogram(Array.from(l.latencyUs.subarray(0, l.count), (v) => v / 1000), 20);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(l.count);
    expect(h.counts.length).toBeLessThanOrEqual(30);
  });
});

describe("decimate", () => {
  it("keeps every point when there are few", () => {
    expect(decimate([1, 2, 3], [1, 2, 3], 10, 0, 3)).toEqual([0, 1, 2]);
  });

  it("keeps each column's lowest and highest point", () => {
    const n = 10_000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = Array.from({ length: n }, (_, i) => (i === 4321 ? 1e6 : i % 97));
    const kept = decimate(xs, ys, 100, 0, n);
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept).toContain(4321);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
  });
});
