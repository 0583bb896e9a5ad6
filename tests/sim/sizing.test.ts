// A run's tables are sized from the events it will likely process (server/sim/engine/sizing.ts),
// not from maxEvents: a tiny run allocates little, yet the templates' runs fit without growing,
// and a closed loop, which runs until its bounds, is sized from maxEvents as before.
import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario } from "@/server/sim";
import { eventsEstimate } from "@/server/sim/engine/sizing";
import { TEMPLATES } from "@/server/templates";

const parse = (text: string) => {
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
};

describe("table sizes from the events a run will likely process", () => {
  const openLoop = TEMPLATES.map((t) => ({ t, s: parse(t.source) })).filter(({ s }) => s.protocol.kind === "request-response" && s.workload.every((w) => w.kind === "open-loop"));

  it("has open-loop templates to check", () => {
    expect(openLoop.length).toBeGreaterThan(3);
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))("template %s: its run fits the estimate, far below the default maxEvents", (_id, t) => {
    const s = parse(t.source);
    const estimate = eventsEstimate(s);
    expect(estimate).toBeLessThanOrEqual(s.maxEvents);
    if (!openLoop.some((o) => o.t === t)) return;
    expect(runScenario(s).summary.events).toBeLessThanOrEqual(estimate);
    expect(estimate).toBeLessThan(s.maxEvents / 100);
  });

  it("sizes a closed loop from maxEvents", () => {
    const s = parse(`
version: 1
name: closed
maxEvents: 50000
nodes: [{ id: A }, { id: B }]
network: { latency: 1ms }
protocol: { kind: request-response, client: { timeout: 50ms, retries: 3 } }
workload: [{ clients: all, target: random, outstanding: 1, op: read, key: k }]
`);
    expect(eventsEstimate(s)).toBe(50_000);
  });
});
