// The curve chart's data shaping: points sorted along a numeric axis, rates mapped into the plot with
// their bands, series told apart by colour and dash, categorical values, latency, and the table rows.

import { describe, expect, it } from "vitest";
import { curveModel, DEFAULT_GEOMETRY, seriesFromPoints, type CurveChartSeries } from "@/app/_components/results/curve-model";

const g = DEFAULT_GEOMETRY;
const top = g.margin.top;
const bottom = g.height - g.margin.bottom;

const retries0: CurveChartSeries = {
  label: "retries=0",
  points: [
    { value: 0.5, rate: 0.25, lo: 0.19, hi: 0.31, latencyMs: { p50: 20, p99: 20 } },
    { value: 0, rate: 1, lo: 0.98, hi: 1, latencyMs: { p50: 20, p99: 20 } },
  ],
};
const retries3: CurveChartSeries = {
  label: "retries=3",
  points: [
    { value: 0, rate: 1, lo: 0.98, hi: 1, latencyMs: { p50: 20, p99: 20 } },
    { value: 0.5, rate: 0.68, lo: 0.61, hi: 0.74, latencyMs: { p50: 120, p99: 320 } },
  ],
};

describe("curveModel", () => {
  const m = curveModel([retries0, retries3]);

  it("puts a rate of 1 at the top and 0 at the bottom, and the x values in order, left to right", () => {
    expect(m.rateTicks[0]).toEqual({ px: bottom, label: "0%" });
    expect(m.rateTicks.at(-1)).toEqual({ px: top, label: "100%" });
    // retries=0 was given out of order: the line still runs left to right from value 0.
    expect(m.series[0]!.line).toBe(`M${g.margin.left.toFixed(1)} ${top.toFixed(1)} L${(g.width - g.margin.right).toFixed(1)} ${(bottom - 0.25 * (bottom - top)).toFixed(1)}`);
    expect(m.xTicks.map((t) => t.label)).toEqual(["0.0", "0.5"]);
  });

  it("closes each band along hi then back along lo", () => {
    const band = m.series[1]!.band;
    expect(band.startsWith(`M${g.margin.left.toFixed(1)} ${top.toFixed(1)}`)).toBe(true);
    expect(band.endsWith("Z")).toBe(true);
    expect(band.split(/[ML]/).filter((s) => s.trim()).length).toBe(4);
  });

  it("gives every series its own colour and dash, and each dot a title with its interval", () => {
    expect(new Set(m.series.map((s) => s.color)).size).toBe(2);
    expect(new Set(m.series.map((s) => s.dash)).size).toBe(2);
    expect(m.series[1]!.dots[1]!.title).toBe("retries=3, 0.5: 68.0% (61.0% to 74.0%)");
  });

  it("scales latency to the largest p99 and lists every point in the table", () => {
    expect(m.hasLatency).toBe(true);
    expect(Number(m.latencyTicks.at(-1)!.label.replace(/,/g, ""))).toBeGreaterThanOrEqual(320);
    expect(m.table.rows).toHaveLength(4);
    expect(m.table.rows[3]).toEqual(["retries=3", "0.5", "68.0%", "61.0% – 74.0%", "120", "320"]);
  });

  it("spaces values that are not numbers evenly, in the order first seen", () => {
    const c = curveModel([{ label: "", points: [{ value: true, rate: 1, lo: 0.9, hi: 1 }, { value: false, rate: 0.5, lo: 0.4, hi: 0.6 }] }]);
    expect(c.xTicks.map((t) => t.label)).toEqual(["true", "false"]);
    expect(c.xTicks[0]!.px).toBe(g.margin.left);
    expect(c.xTicks[1]!.px).toBe(g.width - g.margin.right);
    expect(c.hasLatency).toBe(false);
    expect(c.latencyTicks).toEqual([]);
  });

  it("fits a narrow phone screen by geometry, not by dropping points", () => {
    const narrow = curveModel([retries0, retries3], { width: 340, height: 200, margin: { left: 40, right: 8, top: 10, bottom: 30 } });
    const xs = narrow.series.flatMap((s) => s.dots.map((d) => d.x));
    expect(xs).toHaveLength(4);
    expect(Math.min(...xs)).toBe(40);
    expect(Math.max(...xs)).toBe(332);
  });
});

describe("seriesFromPoints", () => {
  it("groups the CLI's --json points by their series", () => {
    const points = [0, 3].flatMap((r) =>
      [0, 0.5].map((value) => ({ value, series: { "protocol.client.retries": r }, metrics: { passRate: { rate: 1 - value / (r + 1), lo: 0, hi: 1 }, latencyMs: null } })),
    );
    const s = seriesFromPoints(points);
    expect(s.map((x) => x.label)).toEqual(["protocol.client.retries=0", "protocol.client.retries=3"]);
    expect(s[1]!.points.map((p) => p.rate)).toEqual([1, 0.875]);
    expect(seriesFromPoints([{ value: 1, metrics: { passRate: { rate: 1, lo: 1, hi: 1 } } }])[0]!.label).toBe("");
  });
});
