// Paxos serving lin-kv: every node is proposer (proposer.js), acceptor (acceptor.js) and learner,
// of a write-once register per key (mode single) or of a replicated log of commands (multi).
"use strict";

var node = require("maelstrom");
var faultline = require("faultline");
var config = require("./config");
var kv = require("./kv");
var acceptor = require("./acceptor");
var proposer = require("./proposer");

/** Slots of the acceptor a state note shows. */
var NOTE_SLOTS_MAX = 5;
/** Slots of the replicated log (multi mode) a state note shows, up to the highest decided. */
var NOTE_LOG_ENTRIES_MAX = 12;

var single = config.mode === "single";
var lastStateKey = null;

// ------------------------------------------------------------------ messages

/** Sends to every acceptor; this node's own answers at once, as if it had sent to itself. */
function sendToAll(body) {
  node.nodeIds().forEach(function (n) {
    if (n !== node.nodeId()) node.send(n, body);
  });
  receive(node.nodeId(), body);
}

function receive(src, body) {
  var reply = null;
  if (body.type === "prepare") reply = acceptor.prepare(body.slot, body.ballot);
  else if (body.type === "accept") reply = acceptor.accept(body.slot, body.ballot, body.value);
  else if (body.type === "promise") proposer.promised(src, body);
  else if (body.type === "accepted") chosen(body.slot, proposer.accepted(src, body));
  else if (body.type === "nack") proposer.refused(body);
  else if (body.type === "decided") learn(body.slot, body.value);
  if (reply === null) return;
  if (src === node.nodeId()) receive(src, reply);
  else node.send(src, reply);
}

["prepare", "promise", "accept", "accepted", "nack", "decided"].forEach(function (type) {
  node.on(type, function (req) {
    receive(req.src, req.body);
    noteState();
  });
});

/** A value this node saw chosen (a majority accepted it): learned here, and told to everyone else. */
function chosen(slot, value) {
  if (value === undefined) return;
  learn(slot, value);
  node.nodeIds().forEach(function (n) {
    if (n !== node.nodeId()) node.send(n, { type: "decided", slot: slot, value: value });
  });
}

function learn(slot, value) {
  if (acceptor.decide(slot, value)) {
    if (single) register.decided(slot, value);
    else replicatedLog.decided(slot, value);
  }
  proposer.decided(slot, value);
}

/** A value in a few characters, for the state panel. */
function describe(value) {
  if (value === null || value === undefined) return null;
  if (single) return value.id + " " + value.value;
  return value.id + " " + kv.describe(value.cmd);
}

/**
 * The node's state as the run page's state panel shows it, noted when it changed: its role (proposer
 * while it has a proposal in progress), its latest ballot, its proposals, its last slots as an
 * acceptor and, in multi mode, the tail of the log with how much of it is applied.
 */
function noteState() {
  var proposals = proposer.shown();
  var key = acceptor.version() + " " + JSON.stringify(proposals) + " " + (single ? "" : replicatedLog.applied());
  if (key === lastStateKey) return;
  lastStateKey = key;
  var state = { role: proposals.length > 0 ? "proposer" : "acceptor", ballot: acceptor.describeBallot(proposer.lastBallot()), mode: config.mode, proposing: proposals, slots: acceptor.shown(NOTE_SLOTS_MAX, describe) };
  if (!single) {
    state.log = logTail();
    state.commitIndex = replicatedLog.applied();
  }
  faultline.note("state", state);
}

/** The last slots of the log up to the highest decided one, each with its command (null: not known yet). */
function logTail() {
  var out = [];
  for (var s = Math.max(1, acceptor.highestDecided() - NOTE_LOG_ENTRIES_MAX + 1); s <= acceptor.highestDecided(); s++) out.push({ index: s, op: describe(acceptor.decision(s)) });
  return out;
}

// ------------------------------------------------------------------ single: a write-once register per key
// Each key is one single-decree instance: the first value chosen wins; a write of another value
// fails, reads and cas learn the chosen value (or that a majority has accepted nothing yet).

var register = (function () {
  var waiters = {}; // key -> client requests waiting for the register's value
  var rounds = {}; // key -> how many proposals this node has started there

  function request(req) {
    var key = req.body.key;
    (waiters[key] = waiters[key] || []).push({ req: req, after: rounds[key] || 0 });
    var d = acceptor.decision(key);
    if (d !== undefined) return answerAll(key, d);
    if (!proposer.busy(key)) propose(key);
  }

  /** Proposes the first waiting write's value, or (only reads and cas waiting) learns what is chosen. */
  function propose(key) {
    var list = waiters[key] || [];
    var write = list.filter(function (w) {
      return w.req.body.type === "write";
    })[0];
    var own = write ? { id: kv.commandId(kv.command(write.req.src, write.req.body)), value: write.req.body.value } : null;
    rounds[key] = (rounds[key] || 0) + 1;
    var round = rounds[key];
    if (own !== null) faultline.note("propose", { slot: key, value: own });
    proposer.start(key, own, function (outcome) {
      if (outcome.none) nothingChosen(key, round);
    });
  }

  /** A majority had accepted nothing: the register was empty after every waiter that came before this round. */
  function nothingChosen(key, round) {
    var still = [];
    (waiters[key] || []).forEach(function (w) {
      if (w.after < round && w.req.body.type !== "write") node.reply(w.req, { type: "error", code: node.codes.keyDoesNotExist, text: "nothing chosen yet" });
      else still.push(w);
    });
    waiters[key] = still;
    if (still.length > 0) propose(key);
  }

  function decided(key, value) {
    answerAll(key, value);
  }

  function answerAll(key, value) {
    (waiters[key] || []).forEach(function (w) {
      node.reply(w.req, answer(w.req.body, value.value));
    });
    waiters[key] = [];
  }

  /** The answer of a request on a register that holds `held` for good. */
  function answer(body, held) {
    if (body.type === "read") return { type: "read_ok", value: held };
    if (body.type === "write") return body.value === held ? { type: "write_ok" } : { type: "error", code: node.codes.preconditionFailed, text: "the register already holds " + held };
    if (body.from !== held) return { type: "error", code: node.codes.preconditionFailed, text: "expected " + body.from + ", found " + held };
    return body.to === held ? { type: "cas_ok" } : { type: "error", code: node.codes.notSupported, text: "a write-once register cannot change" };
  }

  return { request: request, decided: decided };
})();

// ------------------------------------------------------------------ multi: a replicated log of commands
// Each slot is one instance. A node proposes its clients' commands, oldest first, in the first slot
// it does not know to be decided, and applies decided slots in order.

var replicatedLog = (function () {
  var queue = []; // commands from this node's clients, oldest first, not yet in the log
  var answering = {}; // command id -> true: this node answers it once applied
  var inLog = {}; // ids of commands decided in some slot
  var appliedUpTo = 0;
  var machine = kv.create();
  var proposing = false;

  function request(req) {
    var cmd = kv.command(req.src, req.body);
    var id = kv.commandId(cmd);
    if (inLog[id] || answering[id]) return;
    answering[id] = true;
    queue.push({ id: id, cmd: cmd });
    pump();
  }

  function firstUndecided() {
    var slot = appliedUpTo + 1;
    while (acceptor.decision(slot) !== undefined) slot++;
    return slot;
  }

  /** Proposes the oldest waiting command in the first slot not known to be decided, one slot at a time. */
  function pump() {
    while (queue.length > 0 && inLog[queue[0].id]) queue.shift();
    if (proposing || queue.length === 0) return;
    proposing = true;
    var slot = firstUndecided();
    faultline.note("propose", { slot: slot, value: queue[0] });
    proposer.start(slot, queue[0], function () {
      proposing = false;
      pump();
    });
  }

  function decided(slot, value) {
    inLog[value.id] = true;
    applyReady();
  }

  function applyReady() {
    for (var v = acceptor.decision(appliedUpTo + 1); v !== undefined; v = acceptor.decision(appliedUpTo + 1)) {
      appliedUpTo++;
      var reply = kv.apply(machine, v.cmd);
      if (answering[v.id] && reply !== null) node.send(v.cmd.client, Object.assign({}, reply, { in_reply_to: v.cmd.msgId }));
      delete answering[v.id];
    }
  }

  /** After a restart: every decided command is known to be in the log, and the log is applied again from slot 1. */
  function recover() {
    acceptor.decidedSlots().forEach(function (slot) {
      inLog[acceptor.decision(slot).id] = true;
    });
    applyReady();
  }

  return { request: request, decided: decided, recover: recover, applied: function () {
    return appliedUpTo;
  } };
})();

// ------------------------------------------------------------------ clients and start

["read", "write", "cas"].forEach(function (type) {
  node.on(type, function (req) {
    if (single) register.request(req);
    else replicatedLog.request(req);
    noteState();
  });
});

node.on("init", function () {
  acceptor.load();
  proposer.init(sendToAll, noteState);
  faultline.note("start", {});
  if (!single) replicatedLog.recover();
  noteState();
});

node.main();
