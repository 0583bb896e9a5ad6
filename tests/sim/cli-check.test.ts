// `faultline check`: exit codes 0 / 1 / 2 / 3, the operations that cannot be ordered, every problem
// with its path, --json, and the time limit (in-process with a fake clock, and through the binary).

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkHistoryFile } from "@/cli/check";
import { historyToJson } from "@/server/sim";
import { reg, register, SPEC_EXAMPLE } from "./history-helpers";
import { REPO_ROOT } from "./helpers";

const bin = path.join(REPO_ROOT, "bin", "faultline.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "faultline-check-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function faultline(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

const example = file("example.json", SPEC_EXAMPLE);
const stale = file(
  "stale.json",
  historyToJson(
    register(
      reg.write([0, 2], 1, "x"),
      reg.read([1, 3], null, "x"),
      reg.read([3, 4], 1, "x"),
      reg.write([5, 6], 2, "x"),
      reg.read([7, 8], 1, "x"),
      reg.write([9, null], 4, "x"),
      reg.write([0, 1], 1, "y"),
    ),
  ),
);
/** 30 concurrent writes, then two reads that disagree: no checker finishes this in a second. */
const hard = file(
  "hard.json",
  historyToJson(register(...Array.from({ length: 30 }, (_, i) => reg.write([0, 10], i)), reg.read([11, 12], 0), reg.read([13, 14], 1))),
);
const invalid = file(
  "invalid.json",
  JSON.stringify({ model: "register", operations: [{ client: 0, call: 5, return: 1, input: { op: "get" }, output: {} }, { client: 1 }] }),
);

describe("faultline check", () => {
  it("exits 0 for a linearizable history", () => {
    const r = faultline("check", example);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^.*example\.json: linearizable \(register model, 4 operations, 1 key; \d+ steps, [\d.]+ s\)\n$/);
  });

  it("exits 1 and prints the operations that cannot be ordered, with --json their indices", () => {
    const r = faultline("check", stale);
    expect(r.code).toBe(1);
    expect(r.out).toContain("stale.json: not linearizable (register model, 7 operations, 2 keys)");
    expect(r.out).toContain("key x: these 2 of its 6 operations cannot be ordered");
    expect(r.out).toMatch(/#3\s+client 3\s+\[5, 6\]\s+write x 2\n/);
    expect(r.out).toMatch(/#4\s+client 4\s+\[7, 8\]\s+read x → 1\n/);
    const j = faultline("check", stale, "--json");
    expect(j.code).toBe(1);
    const s = JSON.parse(j.out);
    expect(Object.keys(s)[0]).toBe("linearizable");
    expect(s).toMatchObject({
      linearizable: false,
      model: "register",
      operations: 7,
      partitions: 2,
      partitionsChecked: 0, // a stale read is seen before any key is searched
      steps: 0,
      failure: { key: "x", keyOperations: 6, operations: [3, 4], minimal: true },
      gaveUp: null,
    });
  });

  it("exits 2 with every problem and its path, and no stack trace", () => {
    const r = faultline("check", invalid);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${invalid}: not a valid history (6 problems)`);
    expect(r.err).toContain(`${invalid}: operations[0].return: returns at 1, before its call at 5`);
    expect(r.err).toContain(`${invalid}: operations[0].input.op: "get" is not an operation of the register model: read, write or cas`);
    expect(r.err).toContain(`${invalid}: operations[1].call: missing required field "call"`);
    expect(r.err).not.toMatch(/\n\s+at /);
    const j = faultline("check", invalid, "--json");
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out)).toMatchObject({ linearizable: null, valid: false, problems: [{ path: "operations[0].return" }, {}, {}, {}, {}, {}] });
    const missing = faultline("check", path.join(tmp, "nope.json"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read .*nope\.json: no such file/);
  });

  it("exits 3 when the time limit comes first, with --json null and the reason", () => {
    const r = faultline("check", hard, "--timeout", "0.3");
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/gave up checking the default key \(32 operations\): the time limit, 0\.3 s, came first/);
    const j = faultline("check", hard, "--timeout", "0.3", "--json");
    expect(j.code).toBe(3);
    expect(JSON.parse(j.out)).toMatchObject({ linearizable: null, failure: null, gaveUp: { reason: "timeout", timeoutSeconds: 0.3, keyOperations: 32 } });
  });

  it("refuses a bad --timeout", () => {
    for (const t of ["0", "-1", "soon", "86401"]) {
      const r = faultline("check", example, `--timeout=${t}`);
      expect(r.code).toBe(2);
      expect(r.err).toContain("--timeout must be a number of seconds");
    }
  });
});

describe("checkHistoryFile", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), interactive: false } };
  };

  it("stops at its deadline by the clock it is given, between slices of steps", () => {
    let t = 0;
    const clock = () => (t += 400); // every look at the clock is 0.4 s later
    const { out, io: cio } = io();
    const code = checkHistoryFile("hard.json", fs.readFileSync(hard, "utf8"), { json: true, timeoutSeconds: 1, now: clock }, cio);
    expect(code).toBe(3);
    const s = JSON.parse(out.join(""));
    // Starts at 0.4 s with a deadline at 1.4 s, looks at 0.8, 1.2 and 1.6 s: three slices of 50,000 steps.
    expect(s).toMatchObject({ linearizable: null, steps: 150_000, gaveUp: { reason: "timeout" } });
  });

  it("when the deadline comes while shrinking, exits 1 with the smallest set found so far", () => {
    // Refuted in a few steps, but shrinking 80 operations takes many slices.
    const ops = [...Array.from({ length: 80 }, (_, i) => reg.write([2 * i, 2 * i + 1], i % 7)), reg.write([170, 171], 9), reg.read([200, 201], 3)];
    let t = 0;
    const { out, io: cio } = io();
    const text = historyToJson(register(...ops));
    const code = checkHistoryFile("shrink.json", text, { json: false, timeoutSeconds: 0.5, now: () => (t += 400) }, cio);
    expect(code).toBe(1);
    expect(out.join("")).toContain("not linearizable");
  });
});
