// Programs in the sandbox, driven by fake node contexts: the wire protocol, init, the library,
// Node's emulated APIs on virtual time, TypeScript, crashes and storage, limits with locations.

import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkProgramFiles, checkProgramSyntax, INIT_SOURCE, PROGRAM_LIMITS } from "@/server/sim/programs";
import { customProtocol, FakeRun, sandboxRun, programRuntime } from "./programs-helpers";

const FIXTURES = path.join(__dirname, "fixtures/programs");
const fixture = (dir: string, ...names: string[]) => Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(FIXTURES, dir, n), "utf8")]));

beforeAll(async () => {
  await programRuntime();
});

async function one(files: Record<string, string>, main?: string, limits = {}): Promise<FakeRun> {
  const run = await sandboxRun(customProtocol(files, main, limits), ["n1"]);
  run.startAll();
  return run;
}

const ECHO = `var node = require('./node');
node.on('echo', function (req) { node.reply(req, { type: 'echo_ok', echo: req.body.echo }); });
node.main();
`;

describe("the wire protocol and init", () => {
  it("delivers init first and keeps its init_ok; answers echo with in_reply_to", async () => {
    const run = await one({ "echo.js": ECHO });
    expect(run.sends()).toEqual([]);
    run.inject("c1", "n1", { type: "echo", msg_id: 5, echo: "hello" });
    run.runUntil(10_000);
    expect(run.sends().map((s) => [s.dest, s.body])).toEqual([["c1", { type: "echo_ok", echo: "hello", in_reply_to: 5 }]]);
    expect(run.failures()).toEqual([]);
  });

  it("gives init with node_id and node_ids, from the init source, before anything else", async () => {
    const run = await one({
      "raw.js": `var lines = [];
require('readline').createInterface({ input: process.stdin }).on('line', function (line) {
  var m = JSON.parse(line);
  lines.push(m);
  if (m.body.type === 'init') console.log(JSON.stringify({ src: m.body.node_id, dest: m.src, body: { type: 'init_ok', in_reply_to: m.body.msg_id } }));
  else console.log(JSON.stringify({ src: 'n1', dest: m.src, body: { type: 'seen', first: lines[0] } }));
});`,
    });
    run.inject("c1", "n1", { type: "hello" });
    run.runUntil(10_000);
    const first = run.sends()[0]!.body.first as { src: string; body: Record<string, unknown> };
    expect(first.src).toBe(INIT_SOURCE);
    expect(first.body).toEqual({ type: "init", msg_id: 1, node_id: "n1", node_ids: ["n1"] });
    expect(run.sends().length).toBe(1);
  });

  it("the runtime is what a run takes as its programs: behaviors(protocol, ids)", async () => {
    const rt = await programRuntime();
    const protocol = customProtocol({ "echo.js": ECHO });
    await rt.prepare(protocol, 1);
    const run = new FakeRun();
    run.add("n1", rt.behaviors(protocol, ["n1"])());
    run.startAll();
    run.inject("c1", "n1", { type: "echo", msg_id: 1, echo: 2 });
    run.runUntil(10_000);
    expect(run.sends().map((s) => s.body)).toEqual([{ type: "echo_ok", echo: 2, in_reply_to: 1 }]);
    expect(() => rt.behaviors(protocol, ["n1"])()).toThrow(/prepare/);
  });

  it("offers the library as require('maelstrom') and answers unknown types with error 10", async () => {
    const run = await one({ "main.js": ECHO.replace("'./node'", "'maelstrom'") });
    run.inject("c1", "n1", { type: "nope", msg_id: 1 });
    run.runUntil(10_000);
    expect(run.sends()[0]!.body).toMatchObject({ type: "error", code: 10, in_reply_to: 1 });
  });

  it("turns a thrown error code into an error reply (library)", async () => {
    const run = await one({
      "kv.js": `var node = require('./node');
node.on('read', function (req) { throw node.error(node.codes.keyDoesNotExist, 'no ' + req.body.key); });
node.on('write', async function (req) { await null; throw node.error(22, 'precondition'); });
node.main();`,
    });
    run.inject("c1", "n1", { type: "read", key: "x", msg_id: 1 });
    run.inject("c1", "n1", { type: "write", key: "x", msg_id: 2 });
    run.runUntil(10_000);
    expect(run.sends().map((s) => s.body)).toEqual([
      { type: "error", code: 20, text: "no x", in_reply_to: 1 },
      { type: "error", code: 22, text: "precondition", in_reply_to: 2 },
    ]);
  });
});

describe("the built-in library's messages", () => {
  // What reply and rpc send is Object.assign({}, body, { in_reply_to | msg_id }), as JSON: the
  // library makes that text without the copy when it can, and must give exactly the same.
  const BODIES = `[
    function () { return { type: 'plain', a: 1, s: 'x' }; },
    function () { return { type: 'has_id', in_reply_to: 99, msg_id: 98 }; },
    function () { var b = Object.create(null); b.type = 'null_proto'; b[2] = 'two'; b.z = 1; b[0] = 'zero'; return b; },
    function () { return { type: 'to_json', toJSON: function (key) { return { type: 'from_to_json', key: key }; } }; },
    function () { var g = {}; Object.defineProperty(g, 'type', { get: function () { return 'getter'; }, enumerable: true }); Object.defineProperty(g, 'hidden', { value: 1 }); return g; },
    function () { function B() { this.type = 'instance'; } B.prototype.inherited = 1; return new B(); },
    function () { return { type: 'values', neg: -0, big: 1e21, small: 5e-7, f: 0.1 + 0.2, nan: NaN, inf: -Infinity, u: undefined, fn: function () {}, d: new Date(0), n: [1, undefined, { x: null }] }; },
    function () { return { type: 'text', s: 'quote " backslash \\\\ nl \\n ctl \\u0001 lone \\ud800 emoji \\ud83d\\ude00' }; },
    function () { var s = { type: 'symbol' }; s[Symbol('k')] = 1; return s; },
  ]`;
  const PROGRAM = `var node = require('maelstrom');
var bodies = ${BODIES};
node.on('go', function (req) {
  bodies.forEach(function (make) { node.reply(req, make()); });
  bodies.forEach(function (make) { node.rpc('c2', make(), function () {}); });
  node.reply({ src: 'c1', body: { msg_id: 'text-id' } }, { type: 'string_id' });
  node.send('c3', { type: 'sent', toJSON: undefined });
});
node.main();`;

  it("reply and rpc send what Object.assign of the body would, byte for byte", async () => {
    const run = await one({ "m.js": PROGRAM });
    run.inject("c1", "n1", { type: "go", msg_id: 5 });
    run.runUntil(10_000);
    expect(run.failures()).toEqual([]);
    // The same bodies, made and copied by this process's JavaScript.
    const make = new Function(`return ${BODIES};`)() as (() => Record<string, unknown>)[];
    // The line the library wrote, {src, dest, body}, as the host reads it.
    const line = (dest: string, body: unknown) => [dest, JSON.stringify((JSON.parse(JSON.stringify({ src: "n1", dest, body })) as { body: unknown }).body)];
    const expected = [
      ...make.map((m) => line("c1", Object.assign({}, m(), { in_reply_to: 5 }))),
      ...make.map((m, i) => line("c2", Object.assign({}, m(), { msg_id: i }))),
      line("c1", { type: "string_id", in_reply_to: "text-id" }),
      line("c3", { type: "sent" }),
    ];
    expect(run.sends().map((s) => [s.dest, JSON.stringify(s.body)])).toEqual(expected);
  });

  it("a program that also reads stdin itself gets every line, and the library still answers", async () => {
    const run = await one({
      "both.js": `var node = require('maelstrom');
node.on('echo', function (req) { node.reply(req, { type: 'echo_ok', echo: req.body.echo }); });
node.main();
process.stdin.on('data', function (chunk) { console.error('line ' + String(chunk).trim()); });`,
    });
    run.inject("c1", "n1", { type: "echo", msg_id: 3, echo: "hi" });
    run.runUntil(10_000);
    expect(run.sends().map((s) => s.body)).toEqual([{ type: "echo_ok", echo: "hi", in_reply_to: 3 }]);
    expect(run.logs()).toEqual([
      'line {"src":"faultline","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}}',
      'line {"src":"c1","dest":"n1","body":{"type":"echo","msg_id":3,"echo":"hi"}}',
    ]);
  });

  it("a handler's error is logged with the program's frames only, and answered with code 13", async () => {
    const run = await one({
      "t.js": `var node = require('maelstrom');
node.on('echo', function (req) { helper(); });
function helper() { null.x; }
node.main();`,
    });
    run.inject("c1", "n1", { type: "echo", msg_id: 2 });
    run.runUntil(10_000);
    expect(run.logs()).toEqual(["error handling echo TypeError: cannot read property 'x' of null", "    at helper (t.js:3:25)", "    at <anonymous> (t.js:2:40)"]);
    expect(run.sends().map((s) => s.body)).toEqual([{ type: "error", code: 13, text: "TypeError: cannot read property 'x' of null", in_reply_to: 2 }]);
  });
});

describe("programs written for Maelstrom's demo library", () => {
  it("echo runs with its own library beside it", async () => {
    const run = await one(fixture("maelstrom-style", "echo.js", "node.js"), "echo.js");
    run.inject("c1", "n1", { type: "echo", msg_id: 0, echo: 42 });
    run.runUntil(10_000);
    expect(run.sends().map((s) => s.body)).toEqual([{ type: "echo_ok", echo: 42, in_reply_to: 0 }]);
    expect(run.logs()).toContain("Node n1 initialized");
    expect(run.logs().some((l) => l.startsWith("Sending { src: 'n1', dest: 'c1', body: { type: 'echo_ok'"))).toBe(true);
  });

  it("gossip converges over a line of three nodes, through lost replies, by retrying", async () => {
    const ids = ["n1", "n2", "n3"];
    const run = await sandboxRun(customProtocol(fixture("maelstrom-style", "gossip.js", "node.js"), "gossip.js"), ids);
    run.startAll();
    const topology = { n1: ["n2"], n2: ["n1", "n3"], n3: ["n2"] };
    for (const id of ids) run.inject("c1", id, { type: "topology", topology, msg_id: 1 });
    run.runUntil(5_000);
    // n3 is down while n2 first gossips to it: n2 retries after its RPC timeout.
    run.node("n3").crash();
    run.inject("c1", "n1", { type: "broadcast", message: 7, msg_id: 2 });
    run.runUntil(900_000);
    run.node("n3").start();
    run.inject("c1", "n3", { type: "topology", topology, msg_id: 3 });
    run.runUntil(3_000_000);
    for (const id of ids) run.inject("c1", id, { type: "read", msg_id: 9 });
    run.runUntil(3_100_000);
    const reads = run.outside.filter((m) => m.body.type === "read_ok").map((m) => [m.src, m.body.messages]);
    expect(reads).toEqual([["n1", [7]], ["n2", [7]], ["n3", [7]]]);
    expect(run.failures()).toEqual([]);
  });
});

describe("Node's APIs on virtual time", () => {
  it("runs timers on the node's drifting clock; Date and Math.random come from the context", async () => {
    const run = await sandboxRun(
      customProtocol({
        "t.js": `var t0 = Date.now();
var log = [];
var ticks = 0;
var iv = setInterval(function () { log.push('i' + (Date.now() - t0)); if (++ticks === 3) clearInterval(iv); }, 100);
var gone = setTimeout(function () { log.push('never'); }, 50);
clearTimeout(gone);
setTimeout(function (a, b) { log.push('t' + (Date.now() - t0) + a + b); }, 250, 'x', 'y');
setTimeout(function () {
  console.log(JSON.stringify({ src: 'n1', dest: 'c1', body: { type: 'log', log: log, iso: new Date().toISOString(), r: Math.random(), tz: new Date(0).getTimezoneOffset() } }));
}, 1000);`,
      }),
      ["n1"],
      { rate: 2, offsetUs: 5_000_000 },
    );
    run.startAll();
    run.runUntil(10_000_000);
    const sends = run.sends();
    expect(sends.length).toBe(1);
    // Local time runs twice as fast: 1000 local ms is 500 true ms.
    expect(sends[0]!.t).toBe(500_000);
    expect(sends[0]!.body).toMatchObject({ log: ["i100", "i200", "t250xy", "i300"], iso: "1970-01-01T00:00:06.000Z", tz: 0 });
    expect(sends[0]!.body.r).toBe(run.of("random")[0]!.kind === "random" ? (run.of("random")[0] as { value: number }).value : NaN);
    expect(run.of("cancel").length).toBe(2);
  });

  it("runs every microtask (promises, async, queueMicrotask, nextTick) before the next event", async () => {
    const run = await one({
      "p.js": `var order = [];
require('readline').createInterface({ input: process.stdin }).on('line', async function (line) {
  var m = JSON.parse(line);
  if (m.body.type === 'init') return;
  order.push('a');
  queueMicrotask(function () { order.push('q'); });
  process.nextTick(function () { order.push('n'); });
  await Promise.resolve();
  order.push('b');
  await new Promise(function (r) { setTimeout(r, 10); });
  order.push('c');
  console.log(JSON.stringify({ src: 'n1', dest: m.src, body: { type: 'order', order: order } }));
});`,
    });
    run.inject("c1", "n1", { type: "go" });
    run.runUntil(100_000);
    expect(run.sends()[0]!.body.order).toEqual(["a", "q", "n", "b", "c"]);
  });

  it("reads stdin by 'data' events and by async iteration of readline", async () => {
    const run = await one({
      "d.js": `var chunks = 0;
process.stdin.on('data', function (chunk) { chunks++; });
(async function () {
  var rl = require('readline').createInterface({ input: process.stdin });
  for await (const line of rl) {
    var m = JSON.parse(line);
    if (m.body.type !== 'init') console.log(JSON.stringify({ src: 'n1', dest: m.src, body: { type: 'ok', chunks: chunks } }));
  }
})();`,
    });
    run.inject("c1", "n1", { type: "x" });
    run.runUntil(10_000);
    expect(run.sends()[0]!.body).toEqual({ type: "ok", chunks: 2 });
  });

  it("writes console.warn and console.error to the log, formatted as Node does", async () => {
    const run = await one({
      "c.js": `console.warn('a %s b %d %j', 'x', 4, { k: [1] }, new Set([1, 'two']), new Map([['k', { v: null }]]));
console.error({ a: [1, 2, { deep: { deeper: { deepest: 1 } } }], s: 'str' }, undefined, -0, 10n);
process.stderr.write('partial ');
process.stderr.write('line');`,
    });
    expect(run.logs()).toEqual([
      `a x b 4 {"k":[1]} Set(2) { 1, 'two' } Map(1) { 'k' => { v: null } }`,
      "{ a: [ 1, 2, { deep: [Object] } ], s: 'str' } undefined -0 10n",
      "partial line",
    ]);
  });

  it("resolves require among the program's files only", async () => {
    const run = await one(
      {
        "main.js": `var out = [require('./a').name, require('./a.js').name, require('./lib').name, require('./lib/deep').name, require('./t').name];
var missing; try { require('fs'); } catch (e) { missing = e.code + ' ' + e.message; }
console.log(JSON.stringify({ src: 'n1', dest: 'c1', body: { type: 'r', out: out, missing: missing, same: require('./a') === require('./a.js') } }));`,
        "a.js": "exports.name = 'a';",
        "lib/index.js": "module.exports = { name: 'lib' };",
        "lib/deep.js": "exports.name = require('../a').name + '/deep';",
        "t.ts": "export const name: string = 'ts';",
      },
      "main.js",
    );
    expect(run.sends()[0]!.body).toEqual({
      type: "r",
      out: ["a", "a", "lib", "a/deep", "ts"],
      missing: "MODULE_NOT_FOUND Cannot find module 'fs' from 'main.js'",
      same: true,
    });
  });

  it("runs TypeScript, with imports, types and enums stripped", async () => {
    const run = await one(
      {
        "main.ts": `import * as node from "./node";
import { double, Kind } from "./util";
interface Echo { type: "echo"; echo: number }
node.on("echo", (req: { body: Echo; src: string }) => {
  node.reply(req, { type: "echo_ok", echo: double(req.body.echo), kind: Kind.B });
});
node.main();`,
        "util.ts": `export function double(x: number): number { return x * 2; }
export enum Kind { A, B }`,
      },
      "main.ts",
    );
    run.inject("c1", "n1", { type: "echo", echo: 21, msg_id: 3 });
    run.runUntil(10_000);
    expect(run.sends()[0]!.body).toEqual({ type: "echo_ok", echo: 42, kind: 1, in_reply_to: 3 });
  });
});

describe("crashes and durable storage", () => {
  it("a crash discards the program's state; storage survives; init comes again", async () => {
    const run = await one({
      "s.js": `var fl = require('faultline');
var node = require('./node');
var inMemory = 0;
node.on('add', function (req) {
  inMemory++;
  fl.storage.set('count', (fl.storage.get('count') || 0) + 1);
  fl.note('added', { inMemory: inMemory });
  node.reply(req, { type: 'add_ok', inMemory: inMemory, stored: fl.storage.get('count'), keys: fl.storage.keys() });
});
node.main();`,
    });
    const add = () => {
      run.inject("c1", "n1", { type: "add", msg_id: 1 });
      run.runUntil(run.now + 5_000);
    };
    add();
    add();
    run.node("n1").crash();
    run.node("n1").start();
    add();
    const bodies = run.sends().map((s) => s.body);
    expect(bodies.map((b) => [b.inMemory, b.stored])).toEqual([[1, 1], [2, 2], [1, 3]]);
    expect(bodies[2]!.keys).toEqual(["count"]);
    expect(run.of("note").map((n) => (n as { fields: unknown }).fields)).toEqual([{ inMemory: 1 }, { inMemory: 2 }, { inMemory: 1 }]);
  });

  it("forgets the timers of a crashed incarnation", async () => {
    const run = await one({ "t.js": `setTimeout(function () { console.warn('fired'); }, 10);` });
    run.node("n1").crash();
    run.node("n1").start();
    run.runUntil(1_000_000);
    expect(run.logs()).toEqual(["fired"]);
  });
});

describe("failures: reason, file, line and column", () => {
  it("an uncaught exception in a handler", async () => {
    const run = await one({
      "main.js": `require('readline').createInterface({ input: process.stdin }).on('line', function (line) {
  var m = JSON.parse(line);
  if (m.body.type === 'boom') helper.call();
});`,
    });
    run.inject("c1", "n1", { type: "boom" });
    run.runUntil(10_000);
    expect(run.failures()).toEqual([{ reason: "exception", message: "ReferenceError: 'helper' is not defined", file: "main.js", line: 3, column: 31 }]);
    expect(run.node("n1").up).toBe(false);
  });

  it("an exception in a timer, a microtask and the main file; thrown non-errors", async () => {
    const inTimer = await one({ "a.js": "\nsetTimeout(function () {\n  throw new TypeError('late');\n}, 5);" });
    inTimer.runUntil(100_000);
    expect(inTimer.failures()).toEqual([{ reason: "exception", message: "TypeError: late", file: "a.js", line: 3, column: 22 }]);
    const inTask = await one({ "b.js": "queueMicrotask(function () { throw new Error('task'); });" });
    expect(inTask.failures()).toMatchObject([{ reason: "exception", message: "Error: task", file: "b.js", line: 1, column: 45 }]);
    const inMain = await one({ "c.js": "var x = 1;\nthrow { code: 13 };" });
    expect(inMain.failures()).toEqual([{ reason: "exception", message: "Uncaught { code: 13 }" }]);
  });

  it("a syntax error in a JavaScript or TypeScript file", async () => {
    const js = await one({ "main.js": "require('./bad');", "bad.js": "var ok = 1;\nvar = 2;" }, "main.js");
    expect(js.failures()[0]).toMatchObject({ reason: "exception", file: "bad.js", line: 2 });
    expect(js.failures()[0]!.message).toMatch(/^SyntaxError/);
    const ts = await one({ "main.ts": "const a: number = 1;\nconst b: = 2;" });
    expect(ts.failures()[0]).toMatchObject({ reason: "exception", file: "main.ts", line: 2 });
  });

  it("TypeScript locations are mapped back to the .ts file", async () => {
    const run = await one({
      "main.ts": `type Id = string;
interface Big { a: number; b: Array<Map<string, number>> }
function f(id: Id, x: Big | undefined): number {
  return (x as Big).a;
}
f("n", undefined);`,
    });
    expect(run.failures()).toEqual([{ reason: "exception", message: "TypeError: cannot read property 'a' of undefined", file: "main.ts", line: 4, column: 20 }]);
  });

  it("fuel: an endless loop is cut in the function that runs it, even when it catches the interrupt", async () => {
    const run = await one({
      "loop.js": `require('readline').createInterface({ input: process.stdin }).on('line', function (line) {
  if (JSON.parse(line).body.type === 'go') spin();
});
function spin() {
  for (;;) {
    try { while (true) {} } catch (e) { console.warn('caught', e); }
  }
}`,
    }, undefined, { fuel: 1_000_000 });
    run.inject("c1", "n1", { type: "go" });
    run.runUntil(10_000);
    // QuickJS keeps the position of calls, not of loop iterations: the location is the function's.
    expect(run.failures()).toEqual([{ reason: "fuel", message: "fuel exhausted: more than 1000000 ticks in one event", file: "loop.js", line: 4, column: 1 }]);
    expect(run.logs()).toEqual([]);
  });

  it("fuel counts the boot the same on every node of a run (the first boots, the others start from its memory)", async () => {
    const ids = ["n1", "n2", "n3"];
    const run = await sandboxRun(customProtocol({ "spin.js": "for (var i = 0; ; i++) if (i % 1000 === 0) console.error(i);" }, undefined, { fuel: 1_000_000 }), ids);
    run.startAll();
    const logs = ids.map((id) => run.logs(id));
    expect(logs[0]!.length).toBeGreaterThan(10);
    expect(logs[1]).toEqual(logs[0]);
    expect(logs[2]).toEqual(logs[0]);
    expect(ids.map((id) => run.failures(id))).toEqual(ids.map(() => [{ reason: "fuel", message: "fuel exhausted: more than 1000000 ticks in one event", file: "spin.js", line: 1, column: 1 }]));
  });

  it("every node of a run has its own working host: random draws, storage, time, errors", async () => {
    const ids = ["n1", "n2", "n3", "n4"];
    const run = await sandboxRun(customProtocol({
      "h.js": `var node = require('maelstrom');
var faultline = require('faultline');
node.on('go', function (req) {
  faultline.storage.set('k', { by: node.nodeId(), r: Math.random() });
  setTimeout(function () { console.error('timer ' + node.nodeId() + ' ' + Date.now()); }, 5);
  node.reply(req, { type: 'go_ok', stored: faultline.storage.get('k'), keys: faultline.storage.keys() });
});
node.main();`,
    }), ids);
    run.startAll();
    for (const id of ids) run.inject("c1", id, { type: "go", msg_id: 1 });
    run.runUntil(100_000);
    expect(run.failures()).toEqual([]);
    const replies = run.sends().map((s) => [s.node, (s.body.stored as { by: string }).by, s.body.keys]);
    expect(replies).toEqual(ids.map((id) => [id, id, ["k"]]));
    expect(ids.map((id) => run.logs(id).length)).toEqual([1, 1, 1, 1]);
  });

  it("fuel is per event: work spread over events is fine", async () => {
    const run = await one({
      "w.js": `var node = require('./node');
node.on('work', function (req) { var s = 0; for (var i = 0; i < 30000; i++) s += i; node.reply(req, { type: 'work_ok', s: s }); });
node.main();`,
    }, undefined, { fuel: 500_000 });
    for (let i = 0; i < 20; i++) run.inject("c1", "n1", { type: "work", msg_id: i });
    run.runUntil(100_000);
    expect(run.failures()).toEqual([]);
    expect(run.sends().length).toBe(20);
  });

  it("memory: a node that fills its memory crashes; the same run's other nodes carry on", async () => {
    const run = await sandboxRun(
      customProtocol({
        "m.js": `var node = require('./node');
var keep = [];
node.on('grow', function (req) { for (;;) keep.push('x'.repeat(1 << 20) + keep.length); });
node.on('echo', function (req) { node.reply(req, { type: 'echo_ok' }); });
node.main();`,
      }, undefined, { memoryBytes: 24 * 1024 * 1024 }),
      ["n1", "n2"],
    );
    run.startAll();
    run.inject("c1", "n1", { type: "grow", msg_id: 1 });
    run.inject("c1", "n2", { type: "echo", msg_id: 2 });
    run.runUntil(10_000);
    expect(run.failures("n1")).toMatchObject([{ reason: "memory", file: "m.js", line: 3 }]);
    expect(run.sends("n2").map((s) => s.body.type)).toEqual(["echo_ok"]);
    // It restarts in its own (now full, then freed) interpreter and works.
    run.node("n1").start();
    run.inject("c1", "n1", { type: "echo", msg_id: 3 });
    run.runUntil(20_000);
    expect(run.sends("n1").map((s) => s.body.type)).toEqual(["echo_ok"]);
  });

  it("stack: deep recursion is a stack overflow at the recursing line", async () => {
    const run = await one({ "r.js": "function down(n) {\n  return down(n + 1) + 1;\n}\ndown(0);" });
    expect(run.failures()).toEqual([{ reason: "stack", message: "InternalError: stack overflow", file: "r.js", line: 2, column: 14 }]);
  });

  it("output: a line that is not a message, and process.exit", async () => {
    const notJson = await one({ "o.js": "console.log('hello');" });
    expect(notJson.failures()).toEqual([{ reason: "output", message: 'standard output is not a JSON message: "hello"' }]);
    const noType = await one({ "o.js": "console.log(JSON.stringify({ src: 'n1', dest: 'c1', body: { text: 'x' } }));" });
    expect(noType.failures()[0]).toMatchObject({ reason: "output" });
    const exit = await one({ "e.js": "process.exit(3); console.warn('after');" });
    expect(exit.failures()).toEqual([{ reason: "exit", message: "process.exit(3)" }]);
    expect(exit.logs()).toEqual([]);
  });

  it("limits per event and per node: messages, log, timers", async () => {
    const many = await one({ "m.js": `for (var i = 0; i < ${PROGRAM_LIMITS.MAX_MESSAGES_PER_EVENT + 5}; i++) console.log(JSON.stringify({ src: 'n1', dest: 'c1', body: { type: 'x' } }));` });
    expect(many.sends().length).toBe(PROGRAM_LIMITS.MAX_MESSAGES_PER_EVENT);
    expect(many.failures()[0]!.reason).toBe("output");
    const chatty = await one({ "l.js": "for (var i = 0; i < 10000; i++) console.warn('0123456789');" });
    expect(chatty.failures()).toEqual([]);
    const logged = chatty.logs();
    expect(logged.length).toBeLessThan(PROGRAM_LIMITS.MAX_LOG_CHARS_PER_EVENT / 10);
    expect(logged[logged.length - 1]).toMatch(/^\[log cut/);
    const timers = await one({ "t.js": "for (var i = 0; i < 20000; i++) setTimeout(function () {}, 1000);" });
    expect(timers.failures()[0]).toMatchObject({ reason: "timers" });
    expect(timers.of("timer").length).toBe(PROGRAM_LIMITS.MAX_TIMERS_PER_NODE);
  });
});

describe("determinism", () => {
  it("the same program and inputs give the same records, byte for byte", async () => {
    const play = async () => {
      const run = await sandboxRun(customProtocol(fixture("maelstrom-style", "gossip.js", "node.js"), "gossip.js"), ["n1", "n2"]);
      run.startAll();
      const topology = { n1: ["n2"], n2: ["n1"] };
      run.inject("c1", "n1", { type: "topology", topology, msg_id: 1 });
      run.inject("c1", "n2", { type: "topology", topology, msg_id: 1 });
      for (let i = 0; i < 20; i++) run.inject("c1", i % 2 ? "n1" : "n2", { type: "broadcast", message: i, msg_id: 10 + i });
      run.runUntil(5_000_000);
      return JSON.stringify(run.records);
    };
    const a = await play();
    expect(await play()).toBe(a);
  });

  it("does not depend on the machine's time zone", async () => {
    const files = { "d.js": "console.warn(String(new Date(86400000 * 365.25 * 30)), new Date(2020, 5, 1, 12).getTime(), new Date(0).getHours(), Date.parse('2020-01-01T00:00:00'));" };
    const before = process.env.TZ;
    try {
      process.env.TZ = "UTC";
      const utc = (await one(files)).logs();
      process.env.TZ = "America/New_York";
      const ny = (await one(files)).logs();
      expect(ny).toEqual(utc);
      expect(utc[0]).toBe("Sat Jan 01 2000 12:00:00 GMT+0000 (Coordinated Universal Time) 1591012800000 0 1577836800000");
    } finally {
      process.env.TZ = before;
    }
  });
});

describe("checks for the scenario parser", () => {
  it("caps files, names and sizes, and wants main among the files", () => {
    expect(checkProgramFiles("main.js", { "main.js": "", "lib/util.ts": "" })).toEqual([]);
    const problems = checkProgramFiles("nope.js", { "../x.js": "", "a.json": "", "big.js": "x".repeat(PROGRAM_LIMITS.MAX_FILE_CHARS + 1) });
    expect(problems.map((p) => p.path)).toEqual(["files.../x.js", "files.a.json", "files.big.js", "main"]);
  });

  it("finds syntax errors with their line and column, before any run", () => {
    expect(checkProgramSyntax({ "ok.js": "var a = 1;", "ok.ts": "const a: number = 1;" })).toEqual([]);
    const [problem] = checkProgramSyntax({ "bad.ts": "const a = 1;\nconst b: = 2;" });
    expect(problem).toMatchObject({ path: "files.bad.ts", line: 2 });
  });

  it("a full storage throws in the program, and the node carries on", async () => {
    const run = await one({
      "s.js": `var fl = require('faultline');
var chunk = 'x'.repeat(1 << 20);
try { for (var i = 0; i < 100; i++) fl.storage.set('k' + i, chunk); } catch (e) { console.warn(String(e), i); }`,
    });
    expect(run.failures()).toEqual([]);
    expect(run.logs()).toEqual(["Error: storage full: at most 16777216 characters of keys and values per node 15"]);
  });
});
