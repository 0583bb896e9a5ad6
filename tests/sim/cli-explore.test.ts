// `faultline explore` and `faultline sweep --vary`: exit codes 0/1/2, the found schedule written as a
// plain scenario that fails the same way, and the curve's --json shape.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, SHARED_SCENARIOS } from "./helpers";

const bin = path.join(REPO_ROOT, "bin", "faultline.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "faultline-explore-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function faultline(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The slide's "response lost" with its hand-written fault taken out. */
const noFault = path.join(tmp, "response-lost-no-fault.yaml");
const slide = fs.readFileSync(path.join(SHARED_SCENARIOS, "05-response-lost.yaml"), "utf8");
fs.writeFileSync(noFault, slide.replace(/faults:\n( {2}- .*\n)+/, ""));
const deduped = path.join(tmp, "dedupe.yaml");
fs.writeFileSync(deduped, fs.readFileSync(noFault, "utf8").replace("dedupe: false", "dedupe: true"));

describe("faultline explore", () => {
  it("exits 1, names the dropped response and writes a scenario that fails the same way", () => {
    const out = path.join(tmp, "found.yaml");
    const r = faultline("explore", noFault, "--faults", "2", "--depth", "6", "--kinds", "drop", "--out", out);
    expect(r.code).toBe(1);
    expect(r.out).toContain("drop the 1st response C2→C1 (sent at 11ms)");
    expect(r.out).toContain("FAIL  at-most-once");
    expect(r.out).toMatch(/explored 3 schedules in [\d.]+ s \(\d+ schedules\/s\)/);
    const written = fs.readFileSync(out, "utf8");
    expect(written).toContain("- { kind: drop, match: { from: C2, to: C1, type: response, nth: 1 } }");
    const replay = faultline("run", out);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain("FAIL  at-most-once");
  });

  it("exits 0 when nothing fails within the bounds, with the count in --json", () => {
    const r = faultline("explore", deduped, "--faults", "2", "--depth", "8", "--kinds", "drop,duplicate", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j).toMatchObject({ scenario: "response lost", seed: 1, bounds: { faults: 2, depth: 8, kinds: ["drop", "duplicate"] }, failing: 0, complete: true, shortest: null });
    expect(j.explored).toBeGreaterThan(10);
    expect(typeof j.schedulesPerSecond).toBe("number");
  });

  it("exits 2 for an invalid file or a check the scenario does not have", () => {
    const bad = path.join(tmp, "bad.yaml");
    fs.writeFileSync(bad, "version: 1\nname: bad\nnodes: [{ id: C1 }]\nprotocol: { kind: request-response }\nfaults: [{ kind: crash, node: C9, at: 1s }]\n");
    const r = faultline("explore", bad, "--faults", "1", "--depth", "2");
    expect(r.code).toBe(2);
    expect(r.err).toContain('faults[0].node: unknown node "C9"');
    const c = faultline("explore", noFault, "--faults", "1", "--depth", "2", "--check", "linearizable");
    expect(c.code).toBe(2);
    expect(c.err).toContain('check "linearizable" is not one of the scenario\'s checks (all-complete, at-most-once)');
    expect(faultline("explore", noFault, "--depth", "2").code).toBe(2);
  });
});

describe("faultline sweep --vary", () => {
  const lossy = path.join(tmp, "lossy.yaml");
  fs.writeFileSync(
    lossy,
    `version: 1
name: one request under loss
maxEvents: 1000
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 0 } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 1 }]
checks: [all-complete]
`,
  );

  it("prints { points: [{ value, checks: [{ name, held, failed }], metrics }] } with --json", () => {
    const r = faultline("sweep", lossy, "--seeds", "20", "--vary", "network.loss=0:1:0.5", "--threads", "1", "--json");
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { points: { value: number; checks: { name: string; held: number; failed: number }[]; metrics: Record<string, unknown> }[] };
    expect(Object.keys(j)).toEqual(["points"]);
    expect(j.points.map((p) => p.value)).toEqual([0, 0.5, 1]);
    expect(j.points[0]).toMatchObject({ checks: [{ name: "all-complete", held: 20, failed: 0 }], metrics: { seeds: 20, passRate: { rate: 1, hi: 1 }, latencyMs: { p50: 20, p90: 20, p99: 20 } } });
    expect(j.points[2]).toMatchObject({ checks: [{ name: "all-complete", held: 0, failed: 20 }], metrics: { passRate: { rate: 0, lo: 0 }, latencyMs: null } });
  });

  it("labels series of a second --vary, and a bad value or path exits 2 with its path", () => {
    const r = faultline("sweep", lossy, "--seeds", "5", "--vary", "network.loss=0..0", "--vary", "protocol.client.retries=0,3", "--threads", "1", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { points: { series: Record<string, number> }[] };
    expect(j.points.map((p) => p.series)).toEqual([{ "protocol.client.retries": 0 }, { "protocol.client.retries": 3 }]);
    const high = faultline("sweep", lossy, "--seeds", "5", "--vary", "network.loss=0:2:1");
    expect(high.code).toBe(2);
    expect(high.err).toContain("network.loss: a probability must be between 0 and 1");
    const typo = faultline("sweep", lossy, "--seeds", "5", "--vary", "protocol.clinet.retries=0..2");
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('protocol.clinet: unknown field "clinet"');
  });
});
