// The same runtime natively: the generated module is up to date, and a callback-style program does
// the same things (sends, timers, random draws, notes, storage) natively and in the sandbox.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nativeProgramBehavior, type NativeFiles } from "@/server/sim/programs";
import { WRAPPER_PARAMS } from "@/server/sim/programs/source";
import { generate, TARGETS } from "@/scripts/generate-programs";
import { customProtocol, FakeRun, sandboxRun } from "./programs-helpers";

const REPO = path.resolve(__dirname, "../..");
const PINGER = fs.readFileSync(path.join(__dirname, "fixtures/programs/callback/pinger.js"), "utf8");

describe("the generated modules", () => {
  it.each(TARGETS)("$out is up to date with $dir (else run npm run programs:generate)", (target) => {
    expect(fs.readFileSync(path.join(REPO, target.out), "utf8")).toBe(generate(target));
  });
});

/** Test-only: wraps sources as the generator would, without a generated module. */
function nativeFiles(files: Record<string, string>): NativeFiles {
  return Object.fromEntries(
    Object.entries(files).map(([name, source]) => [name, { source, fn: new Function(...WRAPPER_PARAMS.split(", "), source) as (...a: unknown[]) => void }]),
  );
}

function play(run: FakeRun): string {
  run.startAll();
  run.node("n2").crash();
  run.runUntil(250_000);
  run.node("n2").start();
  run.runUntil(2_000_000);
  return JSON.stringify(run.records, null, 1);
}

describe("native and sandboxed execution", () => {
  const ids = ["n1", "n2", "n3"];

  it("a callback-style program sends, sets timers, draws and notes the same natively and sandboxed", async () => {
    const sandboxed = play(await sandboxRun(customProtocol({ "pinger.js": PINGER }), ids));
    const make = nativeProgramBehavior({ main: "pinger.js", files: nativeFiles({ "pinger.js": PINGER }) }, ids);
    const run = new FakeRun();
    for (const id of ids) run.add(id, make());
    const native = play(run);
    expect(native).toBe(sandboxed);
    expect(run.sends().length).toBeGreaterThan(20);
    const kinds = new Set(run.records.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(["cancel", "note", "random", "send", "timer"]);
    expect(run.of("note").some((n) => n.kind === "note" && n.name === "ping-failed")).toBe(true);
    expect(run.node("n1").storage.get("answered")).toBeDefined();
  });

  it("natively, a thrown error crashes the node as in the sandbox", async () => {
    const make = nativeProgramBehavior({ main: "bad.js", files: nativeFiles({ "bad.js": "setTimeout(function () { throw new Error('native boom'); }, 5);" }) }, ["n1"]);
    const run = new FakeRun();
    run.add("n1", make());
    run.startAll();
    run.runUntil(10_000);
    expect(run.failures()).toEqual([{ reason: "exception", message: "Error: native boom" }]);
  });
});
