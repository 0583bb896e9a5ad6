// The faultline command: exit codes 0/1/2, `path: message` problems, the --json summary,
// --trace JSONL, the replay line, validate and sweep.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ENGINE_VERSION } from "@/server/sim";
import { REPO_ROOT, SHARED_SCENARIOS } from "./helpers";

const bin = path.join(REPO_ROOT, "bin", "faultline.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "faultline-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function faultline(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const shared = (f: string) => path.join(SHARED_SCENARIOS, f);

const invalid = path.join(tmp, "bad.yaml");
fs.writeFileSync(
  invalid,
  `version: 1
name: bad
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10 parsecs }
protocol: { kind: request-response }
faults:
  - { kind: drop }
  - { kind: slow, node: C2, factor: 2 }
  - { kind: crash, node: C9, at: 1s }
`,
);

const lossy = path.join(tmp, "lossy-latency.yaml");
fs.writeFileSync(
  lossy,
  `version: 1
name: latency over answered requests
nodes: [{ id: C1 }, { id: C2 }]
network: { latency: 10ms, loss: 0.6 }
protocol: { kind: request-response, client: { timeout: 100ms } }
workload: [{ client: C1, server: C2, op: read, key: k, count: 50, interval: 10ms }]
checks: [{ latency: { p99: 1s } }]
`,
);

describe("faultline run", () => {
  it("says what a holding latency check measured when requests failed", () => {
    const r = faultline("run", lossy, "--seed", "3");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ok {4}latency\n {10}Measured over the \d+ requests that were answered; \d+ of 50 requests failed and have no latency, so they cannot break this bound\./);
  });

  it("exits 0 when every check holds and prints the seed first", () => {
    const r = faultline("run", shared("01-request-lost.yaml"));
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toMatch(/^seed 1 /);
    expect(r.out).toContain("ok    all-complete");
    expect(r.out).not.toContain("replay");
  });

  it("exits 1 when a check fails and prints the exact replay command", () => {
    const file = shared("05-response-lost.yaml");
    const r = faultline("run", file, "--seed", "3");
    expect(r.code).toBe(1);
    expect(r.out).toContain("FAIL  at-most-once");
    expect(r.out).toContain(`replay: npx faultline run ${file} --seed 3`);
  });

  it("prints the spec's summary shape with --json", () => {
    const r = faultline("run", shared("01-request-lost.yaml"), "--seed", "7", "--json");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(s).slice(0, 9)).toEqual(["scenario", "seed", "engine", "stoppedBy", "virtualTimeMs", "events", "traceDigest", "metrics", "checks"]);
    expect(s).toMatchObject({
      scenario: "request lost",
      seed: 7,
      engine: ENGINE_VERSION,
      stoppedBy: "idle",
      virtualTimeMs: 121,
      events: 5,
      metrics: {
        messages: { sent: 3, delivered: 2, dropped: 1, duplicated: 0 },
        requests: { issued: 1, succeeded: 1, failed: 0, attempts: 2 },
        executions: 1,
        latencyMs: { mean: 121, p50: 121, p90: 121, p99: 121, max: 121 },
      },
      checks: [
        { name: "all-complete", ok: true },
        { name: "at-most-once", ok: true },
      ],
    });
  });

  it("keeps stdout pure JSON when a check fails, the replay line going to stderr", () => {
    const r = faultline("run", shared("07-byzantine-lie.yaml"), "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).checks[1]).toMatchObject({ name: "correct-responses", ok: false });
    expect(r.err).toContain("replay: npx faultline run");
  });

  it("writes the trace as JSONL with --trace", () => {
    const out = path.join(tmp, "trace.jsonl");
    const r = faultline("run", shared("01-request-lost.yaml"), "--trace", out, "--json");
    expect(r.code).toBe(0);
    const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(JSON.parse(r.out).traceEvents);
    expect(JSON.parse(lines[0]!)).toMatchObject({ index: 0, kind: "issue", node: "C1", timeUs: 0 });
  });

  it("exits 2 with every problem as `path: message` with line:col, and no stack trace", () => {
    const r = faultline("run", invalid);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${invalid}:4:21: network.latency: unknown unit "parsecs"`);
    expect(r.err).toContain(`${invalid}:9:26: faults[2].node: unknown node "C9"`);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe("");
  });

  it("exits 2 for a missing file and for bad flags", () => {
    const missing = faultline("run", path.join(tmp, "nope.yaml"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read .*nope\.yaml: no such file/);
    const flag = faultline("run", shared("01-request-lost.yaml"), "--seed", "-4");
    expect(flag.code).toBe(2);
    const unknown = faultline("run", shared("01-request-lost.yaml"), "--bogus");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("usage:");
  });
});

describe("faultline validate", () => {
  it("exits 0 for a valid scenario and 2 with the problems for an invalid one", () => {
    const ok = faultline("validate", shared("08-unknown-computer.yaml"));
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('valid scenario "a computer you didn\'t know existed"');
    const bad = faultline("validate", invalid);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("faults[2].node: unknown node \"C9\"");
    expect(bad.out).toContain("not a valid scenario (2 problems)");
  });
});

describe("faultline sweep", () => {
  it("runs seeds over threads, prints per check how many seeds held, and exits 1 when some failed", () => {
    const r = faultline("sweep", shared("09-lossy-network-sweep.yaml"), "--seeds", "40", "--from", "1", "--threads", "2");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/all-complete\s+held \d+\/40, failed \d+; first failing seeds: \d+/);
    expect(r.out).toMatch(/at-most-once\s+held 40\/40/);
    expect(r.out).toContain("latencyMs.p99");
    expect(r.out).toMatch(/replay the first failing seed: npx faultline run .* --seed \d+/);
  });

  it("prints the sweep summary as JSON with --json and exits 0 when every seed holds", () => {
    const r = faultline("sweep", shared("01-request-lost.yaml"), "--seeds", "5", "--json");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({ seeds: 5, from: 1, allHeld: 5 });
    expect(s.checks[0]).toMatchObject({ name: "all-complete", held: 5, failed: 0 });
  });
});

describe("npx faultline", () => {
  it("resolves to this package's bin", () => {
    const r = spawnSync("npx", ["--no", "faultline", "validate", shared("01-request-lost.yaml")], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("valid scenario");
  }, 60_000);
});

describe("faultline run with a program", () => {
  const dir = path.join(tmp, "prog");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "echo.js"), "var node = require('maelstrom');\nvar util = require('./util');\nnode.on('echo', function (req) { node.reply(req, { type: 'echo_ok', echo: util.same(req.body.echo) }); });\nnode.main();\n");
  fs.writeFileSync(path.join(dir, "util.js"), "exports.same = function (x) { return x; };\n");
  fs.writeFileSync(path.join(dir, "outside.js"), "// never read: nothing requires it\n");
  const scenario = path.join(dir, "echo.yaml");
  fs.writeFileSync(
    scenario,
    `version: 1
name: echo beside
nodes: [{ id: n1 }]
network: { latency: 5ms }
protocol: { kind: custom, main: echo.js }
workload: [{ kind: lin-kv, rate: 20, duration: 1s }]
`.replace("lin-kv", "echo"),
  );

  it("reads main and what it requires from the scenario's folder, and writes the history with --history", () => {
    const history = path.join(tmp, "history.json");
    const r = faultline("run", scenario, "--history", history, "--json");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as { checks: { name: string; ok: boolean }[]; metrics: { operations: { invoked: number; ok: number } } };
    expect(s.checks).toEqual([{ name: "echo", type: "safety", ok: true }]);
    expect(s.metrics.operations.ok).toBe(s.metrics.operations.invoked);
    const h = JSON.parse(fs.readFileSync(history, "utf8")) as { model: string; operations: { client: string; call: number; return: number; output: { echo: string } }[] };
    expect(h.model).toBe("echo");
    expect(h.operations).toHaveLength(s.metrics.operations.invoked);
    // Two 5 ms hops between invocation and answer.
    for (const op of h.operations) expect(op.return - op.call).toBe(10_000);
  });

  it("exits 2 with the file, line and column of a syntax error in a program file", () => {
    fs.writeFileSync(path.join(dir, "util.js"), "exports.same = function (x) { return x; ;\n");
    const r = faultline("validate", scenario);
    fs.writeFileSync(path.join(dir, "util.js"), "exports.same = function (x) { return x; };\n");
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/protocol\.files\["util\.js"\]: syntax: .* \(util\.js line \d+, column \d+\)/);
  });
});

describe("faultline protocols", () => {
  it("lists each built-in protocol with its parameters, checks and variants as JSON", () => {
    const r = faultline("protocols", "--json");
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { kind: string; parameters: unknown[]; checks: { name: string; type: string }[]; variants: { name: string; breaks: string[] }[]; example: string }[];
    const broadcast = list.find((p) => p.kind === "broadcast")!;
    expect(broadcast.checks).toContainEqual({ name: "causal-order", type: "safety" });
    expect(broadcast.variants).toContainEqual({ name: "no-relay", breaks: ["broadcast-agreement"] });
    for (const p of list) {
      // Every example is a valid scenario of its kind, and every variant names checks the protocol has.
      const file = path.join(tmp, `${p.kind}.yaml`);
      fs.writeFileSync(file, p.example);
      expect(faultline("validate", file).code).toBe(0);
      for (const v of p.variants) for (const c of v.breaks) expect(p.checks.map((x) => x.name)).toContain(c);
    }
  });
});
