// Determinism: the same scenario and seed give the same trace digest in two separate processes
// (and in this one).

import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers";

const fixture = path.join(__dirname, "fixtures", "digests.ts");
const tsx = path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");

function digestsFromProcess(): string {
  return execFileSync(process.execPath, [tsx, fixture], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
}

describe("determinism across processes", () => {
  it("two node processes print the same digests", () => {
    const a = digestsFromProcess();
    const b = digestsFromProcess();
    const lines = a.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(30);
    for (const l of lines) expect(l).toMatch(/ sha256:[0-9a-f]{64}$/);
    expect(b).toBe(a);
    // Different seeds of a random scenario give different traces.
    const closed = lines.filter((l) => l.startsWith("closed-loop")).map((l) => l.split(" ")[3]);
    expect(new Set(closed).size).toBe(3);
  }, 120_000);
});
