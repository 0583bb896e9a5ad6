// The shared example scenarios (../shared/scenarios), read from beside the project as
// CI places them; a git worktree deeper down finds them in the nearest parent that has them.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

function findShared(): string {
  const beside = path.resolve(import.meta.dirname, "../../../shared/scenarios");
  for (let dir = path.resolve(import.meta.dirname, "../../.."); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "scenarios");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return beside;
  }
}

export const SHARED_SCENARIOS = findShared();

export function sharedScenario(file: string): string {
  return readFileSync(path.join(SHARED_SCENARIOS, file), "utf8");
}

export function sharedScenarioFiles(): string[] {
  return readdirSync(SHARED_SCENARIOS).filter((f) => f.endsWith(".yaml")).sort();
}

/** The slide's "response lost, no dedupe" with its hand-written drop taken out: exploring must find it (one dropped response, or a duplicated request, breaks at-most-once). */
export const RESPONSE_LOST = `version: 1
name: response lost
seed: 1
until: 10s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 2 }
  server: { processing: 1ms, dedupe: false }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: "dear diary", count: 1 }
checks:
  - all-complete
  - at-most-once
`;

/** RESPONSE_LOST with dedupe, five retries and `writes` writes 20 ms apart: no schedule of three drops or duplicates fails, and there are thousands. */
export function cleanResponseLost(writes: number): string {
  return RESPONSE_LOST.replace("dedupe: false", "dedupe: true").replace("retries: 2", "retries: 5").replace("count: 1 }", `count: ${writes}, interval: 20ms }`);
}
