// Parameter curves: vary specs, values set at paths of the document (with errors by path), Wilson
// intervals, and a curve of all-complete under loss against its closed form 1 − (1 − (1 − p)²)^(r+1).

import { describe, expect, it } from "vitest";
import { aggregateSweep, runScenario } from "@/server/sim";
import { curvePoint, wilsonInterval } from "@/server/sim/sweep/curve";
import { parseVarySpec, seriesOf, setAtPath, setAtPathInText, variedScenario, type VarySpec } from "@/server/sim/sweep/vary";

function spec(text: string): VarySpec {
  const r = parseVarySpec(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe("vary specs", () => {
  it("reads FROM:TO:STEP with the decimals written, A..B and lists", () => {
    expect(spec("network.loss=0:0.5:0.1")).toEqual({ path: "network.loss", segments: ["network", "loss"], values: [0, 0.1, 0.2, 0.3, 0.4, 0.5] });
    expect(spec("protocol.client.retries=0..5").values).toEqual([0, 1, 2, 3, 4, 5]);
    expect(spec("protocol.server.dedupe=true,false").values).toEqual([true, false]);
    expect(spec("protocol.client.timeout=50ms,1s").values).toEqual(["50ms", "1s"]);
    expect(spec("faults[0].probability=0:1:0.25")).toMatchObject({ path: "faults[0].probability", segments: ["faults", 0, "probability"], values: [0, 0.25, 0.5, 0.75, 1] });
    expect(spec("faults.0.probability=1").segments).toEqual(["faults", 0, "probability"]);
  });

  it("says what is wrong with a bad spec", () => {
    const bad = (t: string) => {
      const r = parseVarySpec(t);
      return r.ok ? "ok" : r.message;
    };
    expect(bad("network.loss")).toMatch(/write PATH=FROM:TO:STEP/);
    expect(bad("network..loss=0..1")).toMatch(/field name is missing/);
    expect(bad("network.loss=0:1:0")).toBe("network.loss: 0:1:0: STEP must be above 0");
    expect(bad("network.loss=1:0:0.1")).toMatch(/TO must be at least FROM/);
    expect(bad("network.loss=0:1:0.001")).toMatch(/1001 values; at most 101/);
    expect(bad("protocol.client.retries=5..0")).toMatch(/goes down/);
    expect(bad("[0].x=1")).toMatch(/not a path/);
  });

  it("makes series of the later specs' combinations", () => {
    const r = seriesOf([spec("network.loss=0..1"), spec("protocol.client.retries=0,3"), spec("protocol.server.dedupe=true,false")]);
    expect(r.ok && r.value.map((c) => c.map((a) => a.value))).toEqual([[0, true], [0, false], [3, true], [3, false]]);
  });
});

const doc = {
  version: 1,
  name: "d",
  nodes: [{ id: "C1" }, { id: "C2" }],
  protocol: { kind: "request-response" },
  workload: [{ client: "C1", server: "C2", op: "read", key: "k" }],
  checks: ["all-complete"],
};

describe("setting a value at a path", () => {
  it("creates the maps on the way and leaves the original alone", () => {
    const r = setAtPath(doc, ["protocol", "client", "retries"], 3);
    expect(r.ok && (r.value as typeof doc & { protocol: { client: unknown } }).protocol.client).toEqual({ retries: 3 });
    expect(doc.protocol).toEqual({ kind: "request-response" });
  });

  it("names the path that does not lead anywhere", () => {
    expect(setAtPath(doc, ["nodes", 5, "id"], "x")).toEqual({ ok: false, path: "nodes[5]", message: "nodes has 2 entries" });
    expect(setAtPath(doc, ["faults", 0, "probability"], 1)).toMatchObject({ ok: false, path: "faults" });
    expect(setAtPath(doc, ["name", "x"], 1)).toMatchObject({ ok: false, path: "name.x", message: 'name is "d", not a map of fields' });
    expect(setAtPath(doc, ["nodes", "id"], 1)).toMatchObject({ ok: false, path: "nodes.id" });
  });

  it("sets it in the text too, keeping the comments and the rest as written", () => {
    const text = "version: 1\nname: d # the title\nnetwork: { latency: 10ms } # one way\nfaults:\n  - { kind: drop, probability: 0.5 }\n";
    const r = setAtPathInText(text, ["network", "loss"], 0.2);
    expect(r.ok && r.text).toBe("version: 1\nname: d # the title\nnetwork: { latency: 10ms, loss: 0.2 } # one way\nfaults:\n  - { kind: drop, probability: 0.5 }\n");
    const f = setAtPathInText(text, ["faults", 0, "probability"], 1);
    expect(f.ok && f.text).toContain("- { kind: drop, probability: 1 }");
    expect(setAtPathInText(text, ["faults", 3, "probability"], 1)).toEqual({ ok: false, path: "faults[3]", message: "faults has 1 entry" });
  });

  it("validates the varied scenario: a bad value or an unknown field is a problem at its path", () => {
    const ok = variedScenario(doc, [{ path: "network.loss", segments: ["network", "loss"], value: 0.25 }]);
    expect(ok.ok && ok.scenario.network.loss).toBe(0.25);
    const high = variedScenario(doc, [{ path: "network.loss", segments: ["network", "loss"], value: 1.5 }]);
    expect(!high.ok && high.problems[0]).toMatchObject({ path: "network.loss", message: expect.stringMatching(/between 0 and 1/) });
    const typo = variedScenario(doc, [{ path: "network.los", segments: ["network", "los"], value: 0.1 }]);
    expect(!typo.ok && typo.problems[0]).toMatchObject({ path: "network.los", message: 'unknown field "los" (did you mean "loss"?)' });
  });
});

describe("Wilson interval", () => {
  it("matches published values and stays inside [0, 1]", () => {
    const half = wilsonInterval(5, 10);
    expect(half.lo).toBeCloseTo(0.2366, 4);
    expect(half.hi).toBeCloseTo(0.7634, 4);
    const none = wilsonInterval(0, 10);
    expect(none).toMatchObject({ rate: 0, lo: 0 });
    expect(none.hi).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(10, 10).hi).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ rate: 0, lo: 0, hi: 1 });
  });
});

describe("a curve of all-complete against loss matches 1 − (1 − (1 − p)²)^(r+1)", () => {
  const base = {
    version: 1,
    name: "one request under loss",
    maxEvents: 1000,
    nodes: [{ id: "C1" }, { id: "C2" }],
    // Constant 10 ms each way and a 100 ms timeout: a round trip ends before the timer, so attempts are independent.
    network: { latency: "10ms" },
    protocol: { kind: "request-response", client: { timeout: "100ms" } },
    workload: [{ client: "C1", server: "C2", op: "read", key: "k", count: 1 }],
    checks: ["all-complete"],
  };
  const SEEDS = 150;
  const losses = spec("network.loss=0.1:0.5:0.2");
  const retries = spec("protocol.client.retries=0,2");
  const series = seriesOf([losses, retries]);
  if (!series.ok) throw new Error(series.message);
  const points = series.value.flatMap((combo) =>
    losses.values.map((value) => {
      const s = variedScenario(base, [{ path: losses.path, segments: losses.segments, value }, ...combo]);
      if (!s.ok) throw new Error(s.problems[0]!.message);
      const runs = Array.from({ length: SEEDS }, (_, i) => runScenario(s.scenario, { seed: i + 1, recordTrace: false }).summary);
      return { p: value as number, r: combo[0]!.value as number, point: curvePoint(value, aggregateSweep(runs)) };
    }),
  );
  const closedForm = (p: number, attempts: number) => 1 - Math.pow(1 - Math.pow(1 - p, 2), attempts);
  // Six points checked at once: each at 1 − 0.05/6 (Bonferroni), so the family is wrong at most 5% of the time.
  const Z_FAMILY = 2.638;

  it("every point's interval holds the closed form", () => {
    expect(points).toHaveLength(6);
    for (const { p, r, point } of points) {
      const held = point.checks[0]!.held;
      const band = wilsonInterval(held, SEEDS, Z_FAMILY);
      expect({ p, r, expected: closedForm(p, r + 1), band }).toSatisfy(() => band.lo <= closedForm(p, r + 1) && closedForm(p, r + 1) <= band.hi);
      expect(point.metrics.passRate.rate).toBe(held / SEEDS);
    }
  });

  it("and would tell a wrong formula (one attempt fewer) from it", () => {
    const outside = points.filter(({ p, r, point }) => {
      const band = wilsonInterval(point.checks[0]!.held, SEEDS, Z_FAMILY);
      const wrong = closedForm(p, r);
      return wrong < band.lo || wrong > band.hi;
    });
    expect(outside.length).toBeGreaterThan(0);
  });

  it("with retries, latency percentiles grow with loss (each retry adds the 100 ms timeout)", () => {
    const r2 = points.filter((x) => x.r === 2).map((x) => x.point.metrics.latencyMs!.p90);
    expect(r2[0]).toBeLessThanOrEqual(r2[2]!);
    expect(points.find((x) => x.r === 0)!.point.metrics.latencyMs).toEqual({ p50: 20, p90: 20, p99: 20 });
  });
});
