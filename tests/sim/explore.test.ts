// Exhaustive fault search: the slide's lost response found as the one fault that matters, a correct
// configuration clean within its bounds, and explored-schedule counts against a hand count.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario } from "@/server/sim";
import { explore, ExploreOptionsError } from "@/server/sim/search/explore";
import { withAddedFaults } from "@/server/sim/search/scenario-text";
import { scenario, SHARED_SCENARIOS } from "./helpers";

/** The slide's "response lost" without its hand-written fault: the search must find it. */
const responseLostText = fs
  .readFileSync(path.join(SHARED_SCENARIOS, "05-response-lost.yaml"), "utf8")
  .replace(/faults:\n( {2}- .*\n)+/, "");
const responseLost = scenario(responseLostText);
const withDedupe = scenario(responseLostText.replace("dedupe: false", "dedupe: true"));

/** One read, C1 to C2, 10 ms each way, no processing time; dedupe on so at-most-once always holds. */
function tiny(retries: number) {
  return scenario(`
version: 1
name: tiny
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: ${retries} }, server: { dedupe: true } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
checks: [at-most-once]
`);
}

describe("explore: the slide's lost response, no dedupe", () => {
  it("starts from a scenario with no fault that passes", () => {
    expect(responseLost.faults).toEqual([]);
    expect(runScenario(responseLost).summary.ok).toBe(true);
  });

  it("finds the minimal counterexample: one dropped response", () => {
    const r = explore(responseLost, { faults: 2, depth: 6, kinds: ["drop"] });
    expect(r.shortest?.faults.map((f) => f.entry)).toEqual([{ kind: "drop", match: { from: "C2", to: "C1", type: "response", nth: 1 } }]);
    expect(r.shortest?.failed).toEqual(["at-most-once"]);
    expect(r.shortest?.faults[0]?.describe).toBe("drop the 1st response C2→C1 (sent at 11ms)");
    // No schedule with fewer faults fails (the scenario as written passes), so the search stops at one fault.
    expect(r.byLevel).toEqual([1, 2]);
    expect(r.stoppedBy).toBe("failure");
    expect(r.complete).toBe(true);
  });

  it("lists every one-fault schedule that breaks at-most-once: the dropped response and the duplicated request", () => {
    const r = explore(responseLost, { faults: 1, depth: 6, checks: ["at-most-once"] });
    expect(r.failures.map((f) => f.faults.map((x) => x.describe))).toEqual([
      ["duplicate the 1st request C1→C2 (sent at 0ms)"],
      ["drop the 1st response C2→C1 (sent at 11ms)"],
    ]);
  });

  it("writes a plain scenario that replays the same run", () => {
    const r = explore(responseLost, { faults: 1, depth: 6, kinds: ["drop"] });
    const text = withAddedFaults(responseLostText, r.shortest!.faults, { seed: 1, note: "found by explore" });
    expect(text).toContain("# drop the 1st response C2→C1 (sent at 11ms)");
    const again = parseScenarioText(text);
    if (!again.ok) throw new Error(again.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
    const replay = runScenario(again.scenario).summary;
    expect(replay.traceDigest).toBe(r.shortest!.summary.traceDigest);
    expect(replay.checks.find((c) => c.name === "at-most-once")?.ok).toBe(false);
  });
});

describe("explore: a correct configuration is clean within its bounds", () => {
  it("with dedupe, no two drops or duplicates among the first 8 messages break either check", () => {
    const r = explore(withDedupe, { faults: 2, depth: 8, kinds: ["drop", "duplicate"] });
    expect(r.shortest).toBeNull();
    expect(r.failing).toBe(0);
    expect(r.complete).toBe(true);
    expect(r.stoppedBy).toBe("bounds");
    expect(r.byLevel.length).toBe(3);
    expect(r.byLevel[2]).toBeGreaterThan(0);
  });

  it("but three drops exhaust two retries: all-complete fails, and only with three faults", () => {
    const r = explore(withDedupe, { faults: 3, depth: 8, kinds: ["drop"] });
    expect(r.shortest?.failed).toEqual(["all-complete"]);
    expect(r.shortest?.faults.map((f) => f.entry)).toEqual([1, 2, 3].map((nth) => ({ kind: "drop", match: { from: "C1", to: "C2", type: "request", nth } })));
  });

  it("does not count a crash without restart against at-most-once when the table is lost with the node", () => {
    const r = explore(withDedupe, { faults: 1, depth: 4, checks: ["at-most-once"] });
    expect(r.failing).toBe(0);
    const restart = explore(withDedupe, { faults: 2, depth: 4, checks: ["at-most-once"], restartUs: 50_000 });
    // A crash with restart forgets the dedupe table: a duplicate that arrives after it is executed again.
    expect(restart.failing).toBeGreaterThan(0);
  });
});

describe("explore: counts of explored schedules against a hand count", () => {
  it("one message, drop only: the run as written and the run with the request dropped", () => {
    expect(explore(tiny(0), { faults: 1, depth: 1, kinds: ["drop"] }).byLevel).toEqual([1, 1]);
  });

  it("one message, every kind, two nodes: drop, duplicate, and each node crashed just before or just after it arrives", () => {
    const r = explore(tiny(0), { faults: 1, depth: 1 });
    expect(r.explored).toBe(1 + 6);
    expect(r.failing).toBe(0);
  });

  it("two messages, two drops, one retry: {}, {req}, {resp}, {req, resend}", () => {
    const r = explore(tiny(1), { faults: 2, depth: 2, kinds: ["drop"] });
    expect(r.byLevel).toEqual([1, 2, 1]);
    expect(r.explored).toBe(4);
  });

  it("two messages, drops and duplicates, one retry: 1 + 4 + 4", () => {
    // Level 1: drop or duplicate the request or the response. Level 2: after the dropped request,
    // drop or duplicate its resend; after the duplicated request, drop or duplicate the first
    // response; after a dropped or duplicated response, nothing is left among the first two.
    const r = explore(tiny(1), { faults: 2, depth: 2, kinds: ["drop", "duplicate"] });
    expect(r.byLevel).toEqual([1, 4, 4]);
  });

  it("stops at maxSchedules and says the search is incomplete", () => {
    const r = explore(tiny(1), { faults: 2, depth: 2, kinds: ["drop", "duplicate"], maxSchedules: 3 });
    expect(r.explored).toBe(3);
    expect(r.complete).toBe(false);
    expect(r.stoppedBy).toBe("limit");
  });
});

describe("explore: options", () => {
  it("rejects a check the scenario does not have, and bounds out of range", () => {
    expect(() => explore(tiny(0), { faults: 1, depth: 1, checks: ["all-complete"] })).toThrow(ExploreOptionsError);
    expect(() => explore(tiny(0), { faults: 9, depth: 1 })).toThrow(/faults must be a whole number from 0 to 4/);
    expect(() => explore(tiny(0), { faults: 1, depth: 1, crashNodes: ["C9"] })).toThrow(/unknown node "C9"/);
  });
});

describe("explore: built-in protocols", () => {
  it("offers no choice once a workload's final phase has ended the faults (a fault there would change nothing)", () => {
    // A lin-kv workload heals everything at 300 ms; most of the run's messages come after that.
    const raft = scenario(`
version: 1
name: tiny raft
until: 5s
nodes: [{ id: n1 }, { id: n2 }, { id: n3 }]
network: { latency: 5ms }
protocol: { kind: raft }
workload: [{ kind: lin-kv, clients: 1, rate: 5, duration: 300ms, recovery: 500ms, timeout: 1s }]
checks: [linearizable, election-safety]
`);
    const r = explore(raft, { faults: 1, depth: 400, kinds: ["drop", "crash"] });
    expect(r.byLevel[1]).toBeGreaterThan(10);
    expect(r.complete).toBe(true);
  });
});
