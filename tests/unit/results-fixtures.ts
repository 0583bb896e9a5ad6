// Traces for the results pages' unit tests: a template (or any scenario text) run on the real
// simulator, then encoded and decoded as the browser receives it.
import { decodeTrace, encodeTrace, parseScenarioText, runScenario, type ProgramHost, type RunSummary } from "@/server/sim";
import type { Trace } from "@/server/sim/trace/trace";
import { TEMPLATES } from "@/server/templates";

export function templateSource(id: string): string {
  const t = TEMPLATES.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t.source;
}

/** A scenario text's run, its trace through the codec; `programs` runs a custom protocol's nodes. */
export function runText(source: string, seed?: number, programs?: ProgramHost): { trace: Trace; summary: RunSummary } {
  const parsed = parseScenarioText(source);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  const result = runScenario(parsed.scenario, { seed, programs });
  if (!result.trace) throw new Error("no trace recorded");
  return { trace: decodeTrace(encodeTrace(result.trace)), summary: result.summary };
}

export function runTemplate(id: string, seed?: number): { trace: Trace; summary: RunSummary } {
  return runText(templateSource(id), seed);
}

/** A closed loop over `nodes` nodes with loss, stopped after `maxEvents` processed events: a large trace. */
export function closedLoopSource(nodes: number, maxEvents: number): string {
  return `version: 1
name: closed loop ${nodes}
until: 1000s
maxEvents: ${maxEvents}
nodes: [${Array.from({ length: nodes }, (_, i) => `{ id: N${i} }`).join(", ")}]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol: { kind: request-response, client: { timeout: 50ms, retries: 3 } }
workload: [{ clients: all, target: random, outstanding: 1, op: read, key: k }]
checks: [all-complete, at-most-once]
`;
}
