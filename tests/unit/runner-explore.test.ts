// runExplore (server/runner): the exhaustive search in a simulation thread, as the worker runs it:
// its result and the search's own time, its progress in schedules, and options the search refuses
// reported as the caller's mistake ("invalid-options"), not as a failed thread.
import { describe, expect, it } from "vitest";
import { RunnerError, runExplore } from "@/server/runner";
import { parseScenarioText } from "@/server/sim";

const RESPONSE_LOST = `version: 1
name: response lost
nodes: [{ id: C1, role: client }, { id: C2, role: server }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 2 }, server: { processing: 1ms, dedupe: false } }
workload: [{ client: C1, server: C2, op: write, key: journal, value: "dear diary", count: 1 }]
checks: [all-complete, at-most-once]
`;

function scenario() {
  const parsed = parseScenarioText(RESPONSE_LOST);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.scenario;
}

describe("runExplore", () => {
  it("finds the dropped response in a thread and says how long the search itself took", async () => {
    const progress: { explored: number; known: number }[] = [];
    const result = await runExplore(scenario(), { faults: 2, depth: 6, kinds: ["drop"] }, { onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ explored: 3, byLevel: [1, 2], stoppedBy: "failure" });
    expect(result.shortest!.faults.map((f) => f.describe)).toEqual(["drop the 1st response C2→C1 (sent at 11ms)"]);
    expect(result.seconds).toBeGreaterThan(0);
    for (const p of progress) expect(p.explored).toBeLessThanOrEqual(p.known);
  });

  it("rejects options the search refuses with invalid-options and its message", async () => {
    const err = await runExplore(scenario(), { faults: 2, depth: 6, crashNodes: ["C9"] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunnerError);
    expect(err).toMatchObject({ code: "invalid-options", message: 'crash nodes: unknown node "C9" (the scenario has C1, C2)' });
  });
});
