// Broadcast as the textbooks define it: best-effort (send to everyone once), reliable (eager:
// every node relays what it delivers, so if one correct node delivers a message, all do) and causal
// (vector clocks on top of reliable: a message waits until everything that happened before it is
// delivered). Links are made reliable by resending until the receiver acknowledges (in memory: a
// crash forgets them). What a node delivered is kept in durable storage; a node that restarts
// passes all of it on again, since its unfinished sends died with it.
// Notes: "broadcast" { message } when a node broadcasts, "deliver" { message, origin } when it
// delivers, and "state" { delivered, waiting, clock } for the run page's state panel.
"use strict";

var node = require("maelstrom");
var faultline = require("faultline");
var config = require("./config");

var storage = faultline.storage;
var mode = config.mode; // "best-effort", "reliable" or "causal"
var variant = config.variant; // null, or the name of a bug (docs/protocols.md)

var delivered = new Set(); // messages delivered here
var relayed = new Set(); // messages this node has passed on (reliable, causal)
var clock = {}; // causal: for each origin, how many of its messages this node delivered
var waiting = []; // causal: received messages whose causal past is not all delivered yet

function key(message) {
  return JSON.stringify(message);
}

/** Reloads what survived a crash (deliveries, clock, waiting messages) and passes the deliveries on again. */
function recover() {
  var keys = storage.keys();
  var again = [];
  for (var i = 0; i < keys.length; i++) {
    if (keys[i].indexOf("delivered:") !== 0) continue;
    delivered.add(keys[i].slice("delivered:".length));
    again.push(storage.get(keys[i]));
  }
  clock = storage.get("clock") || {};
  waiting = storage.get("waiting") || [];
  if (mode !== "best-effort" && variant !== "no-relay") again.forEach(function (msg) {
    relay(msg, null);
  });
}

function deliver(msg) {
  var message = msg.message;
  var origin = msg.origin;
  var k = key(message);
  if (delivered.has(k) && variant !== "no-dedupe") return;
  delivered.add(k);
  storage.set("delivered:" + k, { type: "bcast", message: message, origin: origin, deps: msg.deps });
  if (mode === "causal") {
    clock[origin] = (clock[origin] || 0) + 1;
    storage.set("clock", clock);
  }
  faultline.note("deliver", { message: message, origin: origin });
  noteState();
}

/** The node's state as the run page's state panel shows it. */
function noteState() {
  var state = { delivered: delivered.size };
  if (mode === "causal") {
    state.waiting = waiting.length;
    state.clock = clock;
  }
  faultline.note("state", state);
}

/** Sends msg to dest until dest acknowledges it (a stubborn link over a lossy network). */
function sendReliably(dest, msg) {
  node.retryRPC(dest, msg, function () {}, config.resend);
}

function others(except) {
  return node.nodeIds().filter(function (n) {
    return n !== node.nodeId() && n !== except;
  });
}

/** Passes a message on to every other node (except the one it came from). */
function relay(msg, from) {
  var k = key(msg.message);
  if (relayed.has(k)) return;
  relayed.add(k);
  others(from).forEach(function (dest) {
    if (mode === "best-effort") node.send(dest, msg);
    else sendReliably(dest, msg);
  });
}

/** Causal order: delivers every waiting message whose causal past this node has delivered. */
function deliverReady() {
  var progress = true;
  while (progress) {
    progress = false;
    for (var i = 0; i < waiting.length; i++) {
      var m = waiting[i];
      if (variant !== "causal-no-wait" && !ready(m)) continue;
      waiting.splice(i, 1);
      deliver(m);
      progress = true;
      break;
    }
  }
  storage.set("waiting", waiting);
}

/** Ready when this is the next message of its origin and every message it depends on is delivered. */
function ready(m) {
  var deps = m.deps || {};
  for (var origin in deps) {
    var have = clock[origin] || 0;
    if (origin === m.origin ? have !== deps[origin] : have < deps[origin]) return false;
  }
  return (clock[m.origin] || 0) === (deps[m.origin] || 0);
}

function receive(msg, from) {
  if (mode === "causal") {
    var k = key(msg.message);
    var known = delivered.has(k) || waiting.some(function (w) {
      return key(w.message) === k;
    });
    if (!known || variant === "no-dedupe") waiting.push({ message: msg.message, origin: msg.origin, deps: msg.deps });
    if (variant !== "no-relay") relay(msg, from);
    deliverReady();
    return;
  }
  deliver(msg);
  if (mode === "reliable" && variant !== "no-relay") relay(msg, from);
}

/** This node broadcasts a message: it delivers it at once and sends it to everyone else. */
function broadcast(message) {
  var me = node.nodeId();
  var msg = { type: "bcast", message: message, origin: me };
  if (mode === "causal") msg.deps = JSON.parse(JSON.stringify(clock));
  faultline.note("broadcast", { message: message });
  deliver(msg);
  relay(msg, null);
}

node.on("init", function () {
  recover();
});

node.on("topology", function (req) {
  node.reply(req, { type: "topology_ok" });
});

node.on("broadcast", function (req) {
  broadcast(req.body.message);
  node.reply(req, { type: "broadcast_ok" });
});

node.on("read", function (req) {
  var messages = [];
  delivered.forEach(function (k) {
    messages.push(JSON.parse(k));
  });
  node.reply(req, { type: "read_ok", messages: messages });
});

node.on("bcast", function (req) {
  if (req.body.msg_id !== undefined) node.reply(req, { type: "bcast_ok" });
  receive(req.body, req.src);
});

node.main();
