// The sandbox as a security boundary: a corpus of escape and abuse attempts, each contained (the
// node crashed with a reason, or nothing of the host reached), host memory bounded, later runs fine.

import { beforeAll, describe, expect, it } from "vitest";
import { PROGRAM_LIMITS } from "@/server/sim/programs";
import { customProtocol, programRuntime, sandboxRun, type FakeRun } from "./programs-helpers";

beforeAll(async () => {
  await programRuntime();
});

/** Runs `main` as the program of one node; `report(x)` in it sends x to c1. */
async function attempt(main: string, limits = {}): Promise<FakeRun> {
  const prelude = "function report(x) { console.log(JSON.stringify({ src: 'n1', dest: 'c1', body: { type: 'report', x: x } })); }\n";
  const run = await sandboxRun(customProtocol({ "main.js": prelude + main }, "main.js", limits), ["n1"]);
  run.startAll();
  return run;
}
const reported = (run: FakeRun) => run.sends().map((s) => s.body.x);

/** An echo run: what every attempt must leave working. */
async function echoStillWorks(): Promise<void> {
  const run = await sandboxRun(customProtocol({ "e.js": "var n = require('./node'); n.on('echo', function (r) { n.reply(r, { type: 'echo_ok', echo: r.body.echo }); }); n.main();" }), ["n1"]);
  run.startAll();
  run.inject("c1", "n1", { type: "echo", echo: "still here", msg_id: 1 });
  run.runUntil(10_000);
  expect(run.sends().map((s) => s.body)).toEqual([{ type: "echo_ok", echo: "still here", in_reply_to: 1 }]);
}

describe("nothing of the host is reachable", () => {
  it("constructor.constructor('return process')() gives the program's own process, with no host in it", async () => {
    const run = await attempt(`var p = this.constructor.constructor('return process')();
var g = Function('return this')();
report({ same: p === process, env: p.env, keys: Object.keys(p).sort(), binding: typeof p.binding, mainModule: typeof p.mainModule,
  globals: ['require', 'module', 'fetch', 'XMLHttpRequest', 'WebAssembly', 'Atomics', 'Buffer', 'os', 'std', 'performance'].filter(function (k) { return typeof g[k] !== 'undefined'; }) });`);
    expect(run.failures()).toEqual([]);
    expect(reported(run)).toEqual([
      {
        same: true,
        env: {},
        keys: ["_events", "argv", "cwd", "env", "exit", "exitCode", "hrtime", "nextTick", "pid", "platform", "stderr", "stdin", "stdout", "uptime"],
        binding: "undefined",
        mainModule: "undefined",
        globals: [],
      },
    ]);
  });

  it("eval and Function work inside the sandbox and reach only it", async () => {
    const run = await attempt(`report([eval('1 + 2'), new Function('a', 'return a * 2')(21), eval('typeof require'), (0, eval)('typeof this.process')]);`);
    expect(reported(run)).toEqual([[3, 42, "function", "object"]]);
  });

  it("import() finds no module loader: it rejects and the node carries on", async () => {
    const run = await attempt(`var results = [];
import('fs').then(function () { results.push('loaded'); }, function (e) { results.push('rejected'); });
import('./main.js').then(function () { results.push('loaded'); }, function (e) { results.push('rejected'); });
setTimeout(function () { report(results); }, 1);`);
    run.runUntil(10_000);
    expect(reported(run)).toEqual([["rejected", "rejected"]]);
  });

  it("WebAssembly and Atomics do not exist; a SharedArrayBuffer shares nothing", async () => {
    const run = await attempt(`var sab = new SharedArrayBuffer(8); new Int32Array(sab)[0] = 7;
report([typeof WebAssembly, typeof Atomics, new Int32Array(sab)[0]]);`);
    expect(reported(run)).toEqual([["undefined", "undefined", 7]]);
  });

  it("the wall clock is out of reach: Date, its prototype's constructor, Math.random", async () => {
    const run = await attempt(`var RealDate = Object.getPrototypeOf(new Date()).constructor;
report([Date.now(), new RealDate().getTime(), new (Object.getPrototypeOf(Object.getPrototypeOf(new Date())).constructor)().getTime(), typeof Math.random()]);`);
    expect(reported(run)).toEqual([[0, 0, 0, "number"]]);
    expect(run.of("random").length).toBe(1);
  });

  it("the shim's host functions cannot be reached through callers or stacks", async () => {
    const run = await attempt(`var found = [];
process.stdin.on('data', function probe() {
  try { found.push(typeof probe.caller); } catch (e) { found.push('caller: ' + e.name); }
  try { found.push(typeof arguments.callee.caller); } catch (e) { found.push('callee.caller: ' + e.name); }
});
setTimeout(function () { report(found); }, 1);`);
    run.inject("c0", "n1", { type: "x" });
    run.runUntil(10_000);
    const found = reported(run)[0] as string[];
    expect(found.every((f) => f === "object" || f.endsWith("TypeError") || f === "undefined")).toBe(true);
    // Whatever a caller is, it is a function of the shim (guest code) or null, never a host object.
    expect(run.failures()).toEqual([]);
  });
});

describe("values that cross the boundary", () => {
  it("__proto__ and constructor keys in message bodies are plain data on both sides", async () => {
    const run = await attempt(`require('readline').createInterface({ input: process.stdin }).on('line', function (line) {
  var m = JSON.parse(line);
  if (m.body.type !== 'evil') return;
  report({ protoIsData: Object.getPrototypeOf(m.body) === Object.prototype, polluted: ({}).polluted === undefined ? 'no' : 'yes' });
  console.log(JSON.stringify({ src: 'n1', dest: 'c1', body: m.body }));
});`);
    const evil = JSON.parse('{"type":"evil","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as { type: string };
    run.inject("c1", "n1", evil);
    run.runUntil(10_000);
    const sends = run.sends();
    expect(sends[0]!.body.x).toEqual({ protoIsData: true, polluted: "no" });
    const echoed = sends[1]!.body;
    expect(Object.getPrototypeOf(echoed)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(echoed, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(echoed)).toBe(JSON.stringify(evil));
  });

  it("Proxy and getter tricks run as guest code, under fuel: thrown proxies, toString traps, poisoned stacks", async () => {
    const thrownProxy = await attempt(`throw new Proxy({}, { ownKeys: function () { for (;;) {} } });`, { fuel: 200_000 });
    expect(thrownProxy.failures()[0]!.reason).toBe("fuel");
    const written = await attempt(`process.stdout.write({ toString: function () { for (;;) {} } });`, { fuel: 200_000 });
    expect(written.failures()[0]!.reason).toBe("fuel");
    const poisoned = await attempt(`var e = new Error('x'); Object.defineProperty(e, 'stack', { get: function () { throw e; } }); throw e;`);
    expect(poisoned.failures()).toEqual([{ reason: "exception", message: "Uncaught exception (could not be printed)" }]);
    const lying = await attempt(`var e = new Error('m'); Object.defineProperty(e, 'name', { get: function () { return { toString: function () { return 'Fake'; } }; } }); throw e;`);
    expect(lying.failures()[0]!.message).toBe("Fake: m");
    await echoStillWorks();
  });

  it("host calls take strings and numbers only: objects passed to them are ignored", async () => {
    // The shim is the only caller of the host; a program that rebuilt its calls could pass anything.
    const run = await attempt(`setTimeout(function () {}, { valueOf: function () { for (;;) {} } });
report('ok');`, { fuel: 200_000 });
    // Number(delay) runs the guest's valueOf under fuel, inside the guest.
    expect(run.failures()[0]!.reason).toBe("fuel");
  });
});

describe("abuse ends with the node crashed and a reason", () => {
  it("deep recursion, in code and in native calls", async () => {
    for (const code of [
      "function f() { return f() + 1; } f();",
      "var a = []; for (var i = 0; i < 100000; i++) a = [a]; String(a);",
      "var o = {}; for (var i = 0; i < 100000; i++) o = { o: o }; JSON.stringify(o);",
      "JSON.parse('['.repeat(100000) + ']'.repeat(100000));",
      "eval('('.repeat(10000) + '1' + ')'.repeat(10000));",
    ]) {
      const run = await attempt(code);
      expect(run.failures().map((f) => f.reason), code).toEqual(["stack"]);
    }
    await echoStillWorks();
  });

  it("huge strings and arrays: memory", async () => {
    // Concatenation makes ropes: the length limit comes first.
    const rope = await attempt("var s = 'x'; for (;;) s = s + s;", { memoryBytes: 16 * 1024 * 1024 });
    expect(rope.failures()).toMatchObject([{ reason: "exception", message: "InternalError: string too long" }]);
    for (const code of [
      "var s = 'x'; for (;;) { s = s + s; s.charCodeAt(s.length - 1); }",
      "var keep = []; for (;;) keep.push(new Uint8Array(1 << 20));",
      "new Array(1e7).fill(0);",
      "'x'.repeat(2 ** 29);",
      "var keep = []; for (;;) keep.push({ a: keep.length, b: [1, 2, 3] });",
    ]) {
      const run = await attempt(code, { memoryBytes: 16 * 1024 * 1024 });
      expect(run.failures().map((f) => f.reason), code).toEqual(["memory"]);
    }
    await echoStillWorks();
  });

  it("native loops that fuel cannot see refuse lengths past 2^24; ordinary arrays work", async () => {
    for (const code of [
      "var a = []; a.length = 2 ** 32 - 1; a.indexOf(1);",
      "Array.prototype.includes.call({ length: 2 ** 53 - 1 }, 1);",
      "var a = []; a.length = 2 ** 30; a.sort();",
    ]) {
      const run = await attempt(code);
      expect(run.failures()[0]!.message, code).toMatch(/^RangeError: Array.prototype.\w+ on a length of \d+: the sandbox runs it on at most 16777216 elements$/);
    }
    const fine = await attempt("report([[3, 1, 2].sort().join(','), [1, 2, 3].map(function (x) { return x * 2; }), [].concat([1], [2]), Array.prototype.slice.length, [].indexOf.name]);");
    expect(reported(fine)).toEqual([["1,2,3", [2, 4, 6], [1, 2], 2, "indexOf"]]);
  });

  it("catching the fuel interrupt and carrying on, also in promise jobs", async () => {
    const caught = await attempt("for (;;) { try { for (;;) {} } catch (e) {} finally { report('finally'); } }", { fuel: 200_000 });
    expect(caught.failures()[0]!.reason).toBe("fuel");
    const jobs = await attempt("function again() { Promise.resolve().then(again); } again();", { fuel: 200_000 });
    expect(jobs.failures()[0]!.reason).toBe("fuel");
  });

  it("a million timers: the node fails at the limit, the host holds no more", async () => {
    const run = await attempt("for (var i = 0; i < 1000000; i++) setTimeout(function () {}, 1000 + i);");
    expect(run.failures()[0]!.reason).toBe("timers");
    expect(run.of("timer").length).toBe(PROGRAM_LIMITS.MAX_TIMERS_PER_NODE);
  });

  it("a million messages in one handler: the node fails at the limit, the host sent no more", async () => {
    const run = await attempt("for (var i = 0; i < 1000000; i++) report(i);");
    expect(run.failures()[0]!.reason).toBe("output");
    expect(run.sends().length).toBe(PROGRAM_LIMITS.MAX_MESSAGES_PER_EVENT);
  });

  it("host memory stays bounded through all of it, and later runs are unaffected", async () => {
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 4; i++) {
      const run = await attempt("var keep = []; for (;;) keep.push('y'.repeat(1 << 20) + keep.length);", { memoryBytes: 32 * 1024 * 1024 });
      expect(run.failures()[0]!.reason).toBe("memory");
    }
    // Four nodes filled 32 MiB each; the modules are garbage once their runs are gone.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(4 * 32 * 1024 * 1024 + 128 * 1024 * 1024);
    await echoStillWorks();
  });
});
