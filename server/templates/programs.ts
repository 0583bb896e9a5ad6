// Program templates: for each workload a node program that works and, for most, one with the
// classic bug students write first. Each is a complete scenario with its files inline, written
// against the built-in Maelstrom-style library (docs/programs.md).

import type { ScenarioTemplate } from "./index";

/** Indents a file's text under `protocol.files.<name>: |`. */
function block(text: string): string {
  return text
    .trim()
    .split("\n")
    .map((l) => (l ? `      ${l}` : ""))
    .join("\n");
}

function program(opts: { id: string; title: string; summary: string; slide: string; description: string; file: string; code: string; nodes: number; workload: string; faults?: string; network?: string; checks?: string }): ScenarioTemplate {
  const nodes = Array.from({ length: opts.nodes }, (_, i) => `{ id: n${i + 1} }`).join(", ");
  return {
    id: opts.id,
    title: opts.title,
    summary: opts.summary,
    slide: opts.slide,
    source: `version: 1
name: ${JSON.stringify(opts.title)}
description: |
${opts.description.trim().split("\n").map((l) => `  ${l}`).join("\n")}
seed: 1
until: 60s
nodes: [${nodes}]
network: ${opts.network ?? "{ latency: { dist: uniform, min: 1ms, max: 10ms } }"}
protocol:
  kind: custom
  main: ${opts.file}
  files:
    ${opts.file}: |
${block(opts.code)}
workload:
  - ${opts.workload}
${opts.faults ? `faults:\n${opts.faults}\n` : ""}${opts.checks ? `checks: ${opts.checks}\n` : ""}`,
  };
}

const ECHO = `
// Answers every echo with the same payload.
var node = require('maelstrom');
node.on('echo', function (req) {
  node.reply(req, { type: 'echo_ok', echo: req.body.echo });
});
node.main();
`;

const UNIQUE_IDS = (bug: boolean) => `
// Gives every generate request an id no other request gets${bug ? " (or does it?)" : ""}.
var node = require('maelstrom');
var next = 0;
node.on('generate', function (req) {
  next += 1;
  node.reply(req, { type: 'generate_ok', id: ${bug ? "next" : "node.nodeId() + '-' + next"} });
});
node.main();
`;

const GOSSIP = (bug: boolean) => `
// Broadcast by gossip: a new message goes to every neighbour the topology names${bug ? ", once." : ",\n// and is sent again until the neighbour acknowledges it (retryRPC)."}
var node = require('maelstrom');
var neighbours = [];
var seen = new Set();
function pass(m, except) {
  neighbours.forEach(function (peer) {
    if (peer === except) return;
    ${bug ? "node.send(peer, { type: 'broadcast', message: m });" : "node.retryRPC(peer, { type: 'broadcast', message: m }, function () {}, 200);"}
  });
}
node.on('topology', function (req) {
  neighbours = req.body.topology[node.nodeId()] || [];
  // Messages that arrived before the topology have not been passed on yet.
  seen.forEach(function (m) { pass(m, null); });
  node.reply(req, { type: 'topology_ok' });
});
node.on('read', function (req) {
  node.reply(req, { type: 'read_ok', messages: Array.from(seen) });
});
node.on('broadcast', function (req) {
  var m = req.body.message;
  if (!seen.has(m)) {
    seen.add(m);
    pass(m, req.src);
  }
  if (req.body.msg_id !== undefined) node.reply(req, { type: 'broadcast_ok' });
});
node.main();
`;

const G_COUNTER = (bug: boolean) => `
// A grow-only counter as a CRDT: each node counts its own adds, and every 100 ms tells everyone
// its view; views merge by taking, per node, the larger count. The value is their sum.
var node = require('maelstrom');
var counts = {};
function total() {
  return Object.keys(counts).reduce(function (s, k) { return s + counts[k]; }, 0);
}
node.on('add', function (req) {
  counts[node.nodeId()] = (counts[node.nodeId()] || 0) + req.body.delta;
  node.reply(req, { type: 'add_ok' });
});
node.on('read', function (req) {
  node.reply(req, { type: 'read_ok', value: total() });
});
node.on('merge', function (req) {
  Object.keys(req.body.counts).forEach(function (k) {
    ${bug ? "counts[k] = (counts[k] || 0) + req.body.counts[k]; // adds views up: counts the same adds again and again" : "counts[k] = Math.max(counts[k] || 0, req.body.counts[k]);"}
  });
});
setInterval(function () {
  node.nodeIds().forEach(function (peer) {
    if (peer !== node.nodeId()) node.send(peer, { type: 'merge', counts: counts });
  });
}, 100);
node.main();
`;

const KV = (bug: boolean) =>
  bug
    ? `
// Each node keeps its own key-value map. One node alone is linearizable; two are not.
var node = require('maelstrom');
var store = {};
node.on('read', function (req) {
  var k = JSON.stringify(req.body.key);
  if (!(k in store)) throw node.error(node.codes.keyDoesNotExist, 'no such key');
  node.reply(req, { type: 'read_ok', value: store[k] });
});
node.on('write', function (req) {
  store[JSON.stringify(req.body.key)] = req.body.value;
  node.reply(req, { type: 'write_ok' });
});
node.on('cas', function (req) {
  var k = JSON.stringify(req.body.key);
  if (!(k in store)) throw node.error(node.codes.keyDoesNotExist, 'no such key');
  if (store[k] !== req.body.from) throw node.error(node.codes.preconditionFailed, 'expected ' + req.body.from);
  store[k] = req.body.to;
  node.reply(req, { type: 'cas_ok' });
});
node.main();
`
    : `
// Every node hands each request to the lin-kv service and passes its answer back.
var node = require('maelstrom');
['read', 'write', 'cas'].forEach(function (type) {
  node.on(type, function (req) {
    var body = Object.assign({}, req.body);
    delete body.msg_id;
    node.rpc('lin-kv', body, function (err, res) {
      var answer = Object.assign({}, err || res);
      delete answer.msg_id;
      delete answer.in_reply_to;
      node.reply(req, answer);
    }, 1000);
  });
});
node.main();
`;

export const PROGRAM_TEMPLATES: ScenarioTemplate[] = [
  program({
    id: "program-echo",
    title: "Your first node: echo",
    summary: "A program that answers every echo request; run it, then break the network.",
    slide: "Your own code, under the same failures",
    description: "The smallest Maelstrom program: every echo request is answered with its payload. Add loss or a crash and watch the operations that get no answer.",
    file: "echo.js",
    code: ECHO,
    nodes: 2,
    workload: "{ kind: echo, clients: 2, rate: 20, duration: 5s, timeout: 1s }",
  }),
  program({
    id: "program-unique-ids",
    title: "Unique ids",
    summary: "Every node hands out ids no other node hands out, with no coordination.",
    slide: "Your own code, under the same failures",
    description: "Each id is the node's name and a counter: unique without any message between nodes, even through a partition.",
    file: "ids.js",
    code: UNIQUE_IDS(false),
    nodes: 3,
    workload: "{ kind: unique-ids, clients: 3, rate: 50, duration: 5s }",
    faults: "  - { kind: partition, groups: [[n1, c1], [n2, n3, c2, c3]], from: 1s, until: 3s }",
  }),
  program({
    id: "program-unique-ids-bug",
    title: "Unique ids (with a classic bug)",
    summary: "A counter alone: unique on one node, colliding across three.",
    slide: "Your own code, under the same failures",
    description: "Each node counts 1, 2, 3... on its own. The unique-ids check finds two nodes giving out the same id.",
    file: "ids.js",
    code: UNIQUE_IDS(true),
    nodes: 3,
    workload: "{ kind: unique-ids, clients: 3, rate: 50, duration: 5s }",
  }),
  program({
    id: "program-broadcast",
    title: "Gossip broadcast",
    summary: "Messages spread along a grid, resent until acknowledged: nothing is lost to a partition.",
    slide: "Your own code, under the same failures",
    description: "Each node passes a new message to its grid neighbours and sends it again until they acknowledge it. A partition delays messages; it does not lose them.",
    file: "gossip.js",
    code: GOSSIP(false),
    nodes: 5,
    workload: "{ kind: broadcast, clients: 2, rate: 20, duration: 5s, topology: grid }",
    network: "{ latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }",
    faults: "  - { kind: partition, groups: [[n1, n2, c1, c2], [n3, n4, n5]], from: 1s, until: 3s }",
  }),
  program({
    id: "program-broadcast-bug",
    title: "Gossip broadcast (with a classic bug)",
    summary: "Messages are passed on once: loss and a partition lose some forever.",
    slide: "Your own code, under the same failures",
    description: "The same gossip, but each message is sent to a neighbour only once. set-full finds the acknowledged messages some nodes never got.",
    file: "gossip.js",
    code: GOSSIP(true),
    nodes: 5,
    workload: "{ kind: broadcast, clients: 2, rate: 20, duration: 5s, topology: grid }",
    network: "{ latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }",
    faults: "  - { kind: partition, groups: [[n1, n2, c1, c2], [n3, n4, n5]], from: 1s, until: 3s }",
  }),
  program({
    id: "program-g-counter",
    title: "Grow-only counter (CRDT)",
    summary: "Each node counts its own adds and merges views by maximum: every node converges.",
    slide: "Your own code, under the same failures",
    description: "A state-based CRDT: per-node counts merged by taking the maximum. Through loss and a partition, every final read is the sum of the acknowledged adds.",
    file: "counter.js",
    code: G_COUNTER(false),
    nodes: 3,
    workload: "{ kind: g-counter, clients: 3, rate: 30, duration: 5s }",
    network: "{ latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.1 }",
    faults: "  - { kind: partition, groups: [[n1, c1], [n2, n3, c2, c3]], from: 1s, until: 3s }",
  }),
  program({
    id: "program-g-counter-bug",
    title: "Grow-only counter (with a classic bug)",
    summary: "Views merge by adding instead of taking the maximum: the counter counts adds many times.",
    slide: "Your own code, under the same failures",
    description: "Merging two views by adding them counts the same adds again at every gossip round. The counter check finds final reads far above the sum.",
    file: "counter.js",
    code: G_COUNTER(true),
    nodes: 3,
    workload: "{ kind: g-counter, clients: 3, rate: 30, duration: 5s }",
  }),
  program({
    id: "program-lin-kv",
    title: "Linearizable key-value store (proxy)",
    summary: "Every node hands requests to the lin-kv service: linearizable, if slower.",
    slide: "Your own code, under the same failures",
    description: "Nodes forward reads, writes and compare-and-sets to the built-in lin-kv service. The linearizable check finds an order for every operation.",
    file: "proxy.js",
    code: KV(false),
    nodes: 2,
    workload: "{ kind: lin-kv, clients: 2, rate: 20, duration: 5s, keys: 2 }",
  }),
  program({
    id: "program-lin-kv-bug",
    title: "Key-value store (with a classic bug)",
    summary: "Each node keeps its own map: two clients on two nodes see two different stores.",
    slide: "Your own code, under the same failures",
    description: "A local map per node. Client c1 writes through n1, c2 reads through n2 and sees nothing: the linearizable check names the operations that cannot be ordered.",
    file: "kv.js",
    code: KV(true),
    nodes: 2,
    workload: "{ kind: lin-kv, clients: 2, rate: 20, duration: 5s, keys: 2 }",
  }),
];
