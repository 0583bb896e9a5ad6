// Shared helpers for the simulator tests: parse-or-fail, run, and where the slide's scenarios live.

import fs from "node:fs";
import path from "node:path";
import { parseScenarioText, runScenario, type RunResult, type Scenario, type Trace } from "@/server/sim";

/** ../shared/scenarios beside the clone, whichever clone this is. */
export const SHARED_SCENARIOS = path.resolve(__dirname, "../../../shared/scenarios");
export const REPO_ROOT = path.resolve(__dirname, "../..");

export function scenario(text: string): Scenario {
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error("invalid test scenario:\n" + r.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return r.scenario;
}

export function sharedScenario(file: string): Scenario {
  return scenario(fs.readFileSync(path.join(SHARED_SCENARIOS, file), "utf8"));
}

export function run(text: string | Scenario, seed?: number): RunResult & { trace: Trace } {
  const s = typeof text === "string" ? scenario(text) : text;
  const r = runScenario(s, { seed });
  if (!r.trace) throw new Error("no trace");
  return r as RunResult & { trace: Trace };
}

/** The trace as compact rows "timeMs node kind" for schedule assertions. */
export function schedule(trace: Trace, kinds?: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < trace.length; i++) {
    const e = trace.event(i);
    if (kinds && !kinds.includes(e.kind)) continue;
    out.push(`${e.timeUs / 1000} ${e.node ?? "-"} ${e.kind}`);
  }
  return out;
}

export function eventsOfKind(trace: Trace, kind: string) {
  const out = [];
  for (let i = 0; i < trace.length; i++) if (trace.kindName(i) === kind) out.push(trace.event(i));
  return out;
}
