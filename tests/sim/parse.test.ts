// Parsing and validation: defaults, units, every kind of problem with its path and line:col,
// all problems at once, limits, and no exception for any input (fast-check).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMITS, parseScenarioText, validateScenario, type ScenarioProblem } from "@/server/sim";
import { parseDuration } from "@/server/sim/scenario/duration";

const base = (extra = "", nodes = "[{ id: C1 }, { id: C2 }]") => `
version: 1
name: t
nodes: ${nodes}
protocol: { kind: request-response }
${extra}`;

function problems(text: string, limits?: Parameters<typeof parseScenarioText>[1]): ScenarioProblem[] {
  const r = parseScenarioText(text, limits);
  if (r.ok) throw new Error("expected problems, got a valid scenario");
  return r.problems;
}

function has(ps: ScenarioProblem[], path: string, message: string | RegExp) {
  const hit = ps.find((p) => p.path === path && (typeof message === "string" ? p.message.includes(message) : message.test(p.message)));
  if (!hit) throw new Error(`no problem ${path}: ${message}\ngot:\n${ps.map((p) => `${p.path}: ${p.message}`).join("\n")}`);
  return hit;
}

describe("defaults and normalization", () => {
  it("fills every default of the spec", () => {
    const r = parseScenarioText(base());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.scenario;
    if (s.protocol.kind !== "request-response") throw new Error("request-response expected");
    expect(s).toMatchObject({ seed: 1, untilUs: 60_000_000, maxEvents: 1_000_000, description: "", workload: [], faults: [], checks: [] });
    expect(s.network).toEqual({ latency: { dist: "constant", valueUs: 1000 }, loss: 0, duplicate: 0, links: [] });
    expect(s.protocol.client).toEqual({ timeoutUs: 1_000_000, retries: 0, backoff: null });
    expect(s.protocol.server).toEqual({
      processing: { dist: "constant", valueUs: 0 },
      concurrency: "unlimited",
      dedupe: false,
      durable: false,
      calls: {},
    });
    expect(s.nodes[0]).toEqual({ id: "C1", role: null, clock: null });
  });

  it("reads durations in us, ms, s, m and bare milliseconds, rounding to whole microseconds", () => {
    const d = (v: unknown) => parseDuration(v, { maxUs: LIMITS.MAX_DURATION_US });
    expect(d("250us")).toEqual({ ok: true, us: 250 });
    expect(d("250ms")).toEqual({ ok: true, us: 250_000 });
    expect(d("1.5s")).toEqual({ ok: true, us: 1_500_000 });
    expect(d("2m")).toEqual({ ok: true, us: 120_000_000 });
    expect(d(10)).toEqual({ ok: true, us: 10_000 });
    expect(d(0.0015)).toEqual({ ok: true, us: 2 });
    expect(d("0.4us")).toEqual({ ok: true, us: 0 });
    expect(d("10 ms")).toMatchObject({ ok: false });
    expect(d("10h")).toMatchObject({ ok: false, message: expect.stringContaining('unknown unit "h"') });
    expect(d("100")).toMatchObject({ ok: false, message: expect.stringContaining("no unit") });
    expect(d("-5ms")).toMatchObject({ ok: false, message: expect.stringContaining("negative") });
  });

  it("reads every distribution", () => {
    const r = parseScenarioText(
      base(`network:
  latency: { dist: uniform, min: 1ms, max: 10ms }
  links:
    - { from: C1, to: C2, latency: { dist: exponential, mean: 5ms } }
    - { from: C2, to: C1, latency: { dist: normal, mean: 5ms, sd: 1ms } }
faults:
  - { kind: delay, by: { dist: lognormal, median: 20ms, sigma: 0.5 } }
  - { kind: delay, by: { dist: constant, value: 3ms } }`),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.network.latency).toEqual({ dist: "uniform", minUs: 1000, maxUs: 10_000 });
    expect(r.scenario.network.links[0]!.latency).toEqual({ dist: "exponential", meanUs: 5000 });
    expect(r.scenario.network.links[1]!.latency).toEqual({ dist: "normal", meanUs: 5000, sdUs: 1000 });
    expect(r.scenario.faults[0]).toMatchObject({ kind: "delay", by: { dist: "lognormal", medianUs: 20_000, sigma: 0.5 } });
    expect(r.scenario.faults[1]).toMatchObject({ kind: "delay", by: { dist: "constant", valueUs: 3000 } });
  });

  it("reads JSON the same as YAML", () => {
    const json = JSON.stringify({
      version: 1,
      name: "j",
      nodes: [{ id: "C1" }, { id: "C2" }],
      protocol: { kind: "request-response", client: { timeout: "100ms" } },
      workload: [{ client: "C1", server: "C2", op: "read", key: "k" }],
    });
    const a = parseScenarioText(json);
    const b = validateScenario(JSON.parse(json));
    expect(a.ok && b.ok).toBe(true);
    expect(a).toEqual(b);
  });

  it("expands closed-loop clients: all", () => {
    const r = parseScenarioText(base("workload: [{ clients: all, outstanding: 2, op: read, key: k }]", "[{ id: A }, { id: B }, { id: C }]"));
    expect(r.ok && r.scenario.workload[0]).toMatchObject({ kind: "closed-loop", clients: ["A", "B", "C"], target: "random", outstanding: 2 });
  });
});

describe("problems", () => {
  it("reports every problem at once, each with its path and line:col", () => {
    const ps = problems(`version: 1
name: all wrong
nodes:
  - { id: C1 }
  - { id: C1 }
  - { id: 9x }
protocol:
  kind: request-response
  client: { timeout: 10 parsecs, retries: 2, backof: 1 }
  server: { calls: { C1: [C1] } }
workload:
  - { client: C1, server: C9, op: read, key: k }
faults:
  - { kind: crash, node: C9, at: 1s }
  - { kind: explode }
checks: [all-complete, nothing]
`);
    has(ps, "nodes[1].id", 'duplicate node id "C1"');
    has(ps, "nodes[2].id", "not valid");
    has(ps, "protocol.client.timeout", 'unknown unit "parsecs"');
    const unknown = has(ps, "protocol.client.backof", 'unknown field "backof" (did you mean "backoff"?)');
    expect([unknown.line, unknown.column]).toEqual([9, 46]);
    has(ps, "protocol.server.calls.C1[0]", "C1 cannot call itself");
    const c9 = has(ps, "workload[0].server", 'unknown node "C9"');
    expect([c9.line, c9.column]).toEqual([12, 27]);
    const f = has(ps, "faults[0].node", 'unknown node "C9"');
    expect([f.line, f.column, f.endLine, f.endColumn]).toEqual([14, 26, 14, 28]);
    has(ps, "faults[1].kind", 'unknown fault kind "explode"');
    has(ps, "checks[1]", 'unknown check "nothing"');
    // Sorted by position in the file.
    const lines = ps.map((p) => p.line ?? 0);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it("finds unknown node references everywhere", () => {
    const ps = problems(
      base(`network: { links: [{ from: X1, to: C2 }] }
workload:
  - { client: C1, server: X2, op: read, key: k }
  - { clients: [X3], target: [X4], op: read, key: k }
faults:
  - { kind: drop, match: { from: X5, to: X6 } }
  - { kind: partition, groups: [[C1], [X7]] }
  - { kind: slow, node: X8, factor: 2 }
  - { kind: byzantine, node: X9, behavior: lie }
  - { kind: clock, node: X10, drift: 0.1 }`).replace("protocol: { kind: request-response }", "protocol: { kind: request-response, server: { calls: { X11: [C2], C2: [X12] } } }"),
    );
    for (const [path, id] of [
      ["network.links[0].from", "X1"],
      ["workload[0].server", "X2"],
      ["workload[1].clients[0]", "X3"],
      ["workload[1].target[0]", "X4"],
      ["faults[0].match.from", "X5"],
      ["faults[0].match.to", "X6"],
      ["faults[1].groups[1][0]", "X7"],
      ["faults[2].node", "X8"],
      ["faults[3].node", "X9"],
      ["faults[4].node", "X10"],
      ["protocol.server.calls.X11", "X11"],
      ["protocol.server.calls.C2[0]", "X12"],
    ] as const) {
      has(ps, path, `unknown node "${id}"`);
    }
  });

  it("rejects call cycles, self-calls, self-requests and nodes in two partition groups", () => {
    const ps = problems(
      base(`workload: [{ client: C1, server: C1, op: read, key: k }]
faults: [{ kind: partition, groups: [[C1, C2], [C2]] }]`, "[{ id: C1 }, { id: C2 }, { id: C3 }]").replace(
        "protocol: { kind: request-response }",
        "protocol: { kind: request-response, server: { calls: { C1: [C2], C2: [C3], C3: [C1, C3] } } }",
      ),
    );
    has(ps, "protocol.server.calls.C1", "calls form a cycle: C1 → C2 → C3 → C1");
    has(ps, "protocol.server.calls.C3[1]", "C3 cannot call itself");
    has(ps, "workload[0].server", "cannot send requests to itself");
    has(ps, "faults[0].groups[1][0]", "C2 is already in group 1");
  });

  it("explains bad values in words", () => {
    const ps = problems(
      base(`seed: -1
network: { loss: 1.5, latency: { dist: gaussian, mean: 1ms }, duplicate: 0.1 }
workload: [{ client: C1, server: C2, op: write, key: k }]
faults:
  - { kind: slow, node: C2, factor: 0.5 }
  - { kind: drop, from: 2s, until: 1s }
  - { kind: clock, node: C1, drift: -1 }
  - { kind: delay, by: { dist: uniform, min: 5ms, max: 1ms } }
checks: [{ latency: {} }, all-complete, all-complete]`),
    );
    has(ps, "seed", "at least 0");
    has(ps, "network.loss", "between 0 and 1");
    has(ps, "network.latency.dist", 'unknown distribution "gaussian"');
    has(ps, "workload[0]", "a write needs a value");
    has(ps, "faults[0].factor", "at least 1");
    has(ps, "faults[1].until", "until must be later than from");
    has(ps, "faults[2].drift", "greater than -1");
    has(ps, "faults[3].by.min", "min must not be greater than max");
    has(ps, "checks[0].latency", "at least one bound");
    has(ps, "checks[2]", "already listed");
  });

  it("names missing required fields and the wrong version", () => {
    const ps = problems("version: 2\nname: x\n");
    has(ps, "version", "version must be 1");
    has(ps, "nodes", 'missing required field "nodes"');
    has(ps, "protocol", 'missing required field "protocol"');
    has(problems(base().replace("kind: request-response", "kind: rafty")), "protocol.kind", 'unknown protocol "rafty": use one of request-response, custom');
  });

  it("reports YAML syntax errors with their position", () => {
    const ps = problems("version: 1\nnodes: [1, 2\n");
    expect(ps[0]!.path).toBe("");
    expect(ps[0]!.message).toMatch(/syntax/);
    expect(ps[0]!.line).toBeGreaterThanOrEqual(2);
    expect(problems("")[0]!.message).toBe("the document is empty");
    expect(problems("- 1\n- 2\n")[0]!.message).toMatch(/a scenario is a map/);
    expect(problems("a: 1\na: 2\n")[0]!.message).toMatch(/given twice/);
  });
});

describe("limits", () => {
  it("limits nodes, events, until, faults and the document size", () => {
    const many = `[${Array.from({ length: LIMITS.MAX_NODES + 1 }, (_, i) => `{ id: N${i} }`).join(", ")}]`;
    has(problems(base("", many)), "nodes", `at most ${LIMITS.MAX_NODES} nodes`);
    has(problems(base(`maxEvents: ${LIMITS.MAX_EVENTS + 1}`)), "maxEvents", `at most ${LIMITS.MAX_EVENTS}`);
    has(problems(base("until: 2000m")), "until", "until is at most");
    const faults = `faults: [${Array.from({ length: LIMITS.MAX_FAULTS + 1 }, () => "{ kind: drop }").join(", ")}]`;
    has(problems(base(faults)), "faults", `at most ${LIMITS.MAX_FAULTS} faults`);
    const big = base("description: " + JSON.stringify("x".repeat(LIMITS.MAX_DOCUMENT_BYTES)));
    expect(problems(big)[0]!.message).toMatch(/the limit is 1.0 MiB/);
  });

  it("lets the service lower limits, never raise them", () => {
    has(problems(base("maxEvents: 5000"), { limits: { maxEvents: 1000 } }), "maxEvents", "at most 1000");
    const r = parseScenarioText(base(), { limits: { maxEvents: 1000 } });
    expect(r.ok && r.scenario.maxEvents).toBe(1000);
    const raised = parseScenarioText(base(`maxEvents: ${LIMITS.MAX_EVENTS + 1}`), { limits: { maxEvents: 1e12 } });
    expect(raised.ok).toBe(false);
  });
});

describe("never throws", () => {
  it("for arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const r = parseScenarioText(text);
        expect(typeof r.ok).toBe("boolean");
        if (!r.ok) for (const p of r.problems) expect(p.message).not.toMatch(/could not be read/);
      }),
      { numRuns: 500 },
    );
  });

  it("for arbitrary JSON values, as text and as objects", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const a = parseScenarioText(JSON.stringify(value) ?? "null");
        const b = validateScenario(value);
        expect(typeof a.ok).toBe("boolean");
        expect(b.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("for mutations of a valid scenario", () => {
    const valid = {
      version: 1,
      name: "m",
      nodes: [{ id: "C1" }, { id: "C2" }],
      network: { latency: { dist: "uniform", min: "1ms", max: "2ms" }, loss: 0.1 },
      protocol: { kind: "request-response", client: { timeout: "100ms", retries: 2, backoff: { kind: "constant", base: "5ms" } }, server: { calls: {} } },
      workload: [{ client: "C1", server: "C2", op: "write", key: "k", value: "v", count: 3 }],
      faults: [{ kind: "drop", match: { type: "request", nth: 1 } }],
      checks: ["all-complete", { latency: { p99: "1s" } }],
    };
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]) => {
      paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    };
    walk(valid, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.jsonValue({ maxDepth: 2 }), (path, replacement) => {
        const copy = structuredClone(valid) as Record<string, unknown>;
        let at: Record<string | number, unknown> = copy;
        for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
        at[path[path.length - 1]!] = replacement;
        const r = validateScenario(copy);
        if (!r.ok) for (const p of r.problems) expect(p.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it("for deeply nested input", () => {
    const deep = "[".repeat(50_000) + "]".repeat(50_000);
    expect(parseScenarioText(deep).ok).toBe(false);
  });
});
