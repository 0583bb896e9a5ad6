// Two-phase commit: the first node coordinates, the others are participants. A client asks for a
// transaction; the coordinator logs it and asks every participant to prepare; each participant
// votes yes or no (no with probability `abortRate`) and logs its vote before answering. The
// coordinator commits if every vote is yes, aborts on a no or when the votes are not all in after
// `voteTimeout`, logs its decision, and only then sends it. Everything is in durable storage, so a
// node that restarts carries on: a coordinator aborts what it had not decided (nobody can have
// committed it) and sends its decisions again; a participant that voted yes asks the coordinator
// until it learns the outcome. It cannot decide alone: while the coordinator is down, it blocks.
// Notes: "begin" { txn, participants } when the coordinator starts a transaction, "vote" { txn,
// vote } when a participant votes, "decide" { txn, decision } when a node learns the outcome, and
// "state" for the run page's state panel (the coordinator's open transactions with their votes;
// each participant's recent votes and decisions).
"use strict";

var node = require("maelstrom");
var faultline = require("faultline");
var config = require("./config");

var storage = faultline.storage;
var variant = config.variant; // null, or the name of a bug (docs/protocols.md)

/** How long a participant waits for the coordinator's answer to a transaction it passed on, ms. */
var FORWARD_TIMEOUT_MS = 1000;
/** How many transactions the state note shows (the newest). */
var SHOWN_TXNS = 4;

var me = null;
var coordinator = null;
var participants = [];
var changed = true; // whether the state panel's state changed since the last state note

// ---------------------------------------------------------------- the coordinator

// Transactions the coordinator is working on: txn -> { phase, votes, decision, acked, since, answers }.
// Its log ("t:<txn>") holds { phase: "voting" } from the start, then { phase: "decided", decision },
// then { phase: "done", decision } once every participant has the decision.
var open = Object.create(null);
var counts = { commit: 0, abort: 0 };

/** A transaction the coordinator starts working on (again, after a restart). */
function opened(txn) {
  changed = true;
  return (open[txn] = { phase: "voting", votes: {}, decision: null, acked: {}, since: Date.now(), answers: [] });
}

function record(txn) {
  return storage.get("t:" + txn);
}

/** A client's transaction reaches the coordinator: it logs it and asks for votes. */
function begin(txn, answer) {
  var t = open[txn];
  var logged = t ? null : record(txn);
  if (!t && logged && logged.phase === "done") return answer(outcome(logged.decision));
  if (!t) {
    t = opened(txn);
    storage.set("t:" + txn, { phase: "voting" });
    faultline.note("begin", { txn: txn, participants: participants });
    participants.forEach(function (p) {
      node.send(p, { type: "prepare", txn: txn });
    });
    if (participants.length === 0) decide(txn, "commit"); // a coordinator alone: every participant (none) voted yes
  }
  if (t.decision) answer(outcome(t.decision));
  else t.answers.push(answer);
}

function outcome(decision) {
  return { type: "txn_ok", committed: decision === "commit" };
}

function onVote(txn, from, vote) {
  var t = open[txn];
  if (!t || t.phase !== "voting" || t.votes[from]) return;
  t.votes[from] = vote;
  changed = true;
  if (vote === "no") return decide(txn, "abort");
  if (variant === "decide-before-all-votes") return decide(txn, "commit"); // the bug: the first yes is taken for all
  var all = participants.every(function (p) {
    return t.votes[p] === "yes";
  });
  if (all) decide(txn, "commit");
}

/** The coordinator decides: it logs the decision, then tells the participants and the client. */
function decide(txn, decision) {
  var t = open[txn];
  t.phase = "decided";
  t.decision = decision;
  counts[decision]++;
  changed = true;
  if (variant !== "no-decision-log") storage.set("t:" + txn, { phase: "decided", decision: decision });
  faultline.note("decide", { txn: txn, decision: decision });
  sendDecision(txn);
  t.answers.forEach(function (answer) {
    answer(outcome(decision));
  });
  t.answers = [];
}

function sendDecision(txn) {
  var t = open[txn];
  participants.forEach(function (p) {
    if (!t.acked[p]) node.send(p, { type: "decide", txn: txn, decision: t.decision });
  });
}

function onDecideOk(txn, from) {
  var t = open[txn];
  if (!t || !t.decision) return;
  t.acked[from] = true;
  var all = participants.every(function (p) {
    return t.acked[p];
  });
  if (!all) return;
  storage.set("t:" + txn, { phase: "done", decision: t.decision });
  delete open[txn];
  changed = true;
}

/** A participant asks how a transaction ended: the decision if there is one (none logged and none under way: abort). */
function onStatus(txn, from) {
  var t = open[txn];
  var logged = record(txn);
  var decision = t ? t.decision : logged && logged.decision;
  if (!t && !logged) {
    // Presumed abort: the coordinator never began it (or the log says nothing), so nobody committed it.
    opened(txn);
    decide(txn, "abort");
    return;
  }
  if (decision) node.send(from, { type: "decide", txn: txn, decision: decision });
}

/** After a restart: what was not decided is aborted; what was decided is sent again. */
function recoverCoordinator() {
  storage.keys().forEach(function (key) {
    if (key.indexOf("t:") !== 0) return;
    var txn = Number(key.slice(2));
    var logged = storage.get(key);
    if (logged.decision) counts[logged.decision]++;
    if (logged.phase === "done") return;
    var t = opened(txn);
    if (logged.phase === "voting") return decide(txn, "abort");
    t.phase = "decided";
    t.decision = logged.decision;
    sendDecision(txn);
  });
}

/** Every `resend`: ask again for missing votes, give up on late ones, send decisions not yet acknowledged. */
function coordinatorTick() {
  var now = Date.now();
  Object.keys(open).forEach(function (key) {
    var txn = Number(key);
    var t = open[txn];
    if (t.phase === "decided") return sendDecision(txn);
    if (now - t.since >= config.voteTimeout) return decide(txn, "abort");
    participants.forEach(function (p) {
      if (!t.votes[p]) node.send(p, { type: "prepare", txn: txn });
    });
  });
}

// ---------------------------------------------------------------- a participant

// Its log: "v:<txn>" its vote, "d:<txn>" the decision.
var votes = Object.create(null);
var decisions = Object.create(null);
var unsure = Object.create(null); // txn -> true: voted yes, outcome unknown
var recent = []; // the newest transactions it has heard of (the state panel)

function heard(txn) {
  if (recent.indexOf(txn) >= 0) return;
  recent.push(txn);
  if (recent.length > SHOWN_TXNS) recent.shift();
  changed = true;
}

function onPrepare(txn, from) {
  heard(txn);
  if (votes[txn] === undefined) {
    if (decisions[txn]) return; // already aborted (the coordinator gave up waiting): nothing to vote on
    var vote = Math.random() < config.abortRate ? "no" : "yes";
    votes[txn] = vote;
    if (vote === "yes") unsure[txn] = true;
    changed = true;
    storage.set("v:" + txn, vote);
    faultline.note("vote", { txn: txn, vote: vote });
    if (vote === "no") learn(txn, "abort"); // a participant that votes no may abort at once
  }
  node.send(from, { type: "vote", txn: txn, vote: votes[txn] });
}

/** The participant learns the outcome and keeps it (a second, different one would be the coordinator's bug). */
function learn(txn, decision) {
  heard(txn);
  if (decisions[txn]) return;
  decisions[txn] = decision;
  delete unsure[txn];
  counts[decision]++;
  changed = true;
  storage.set("d:" + txn, decision);
  faultline.note("decide", { txn: txn, decision: decision });
}

/** The transactions this participant voted yes on and has no outcome for, oldest first. */
function uncertain() {
  return Object.keys(unsure)
    .map(Number)
    .sort(function (a, b) {
      return a - b;
    });
}

function recoverParticipant() {
  storage.keys().forEach(function (key) {
    var txn = Number(key.slice(2));
    if (key.indexOf("v:") === 0) votes[txn] = storage.get(key);
    else if (key.indexOf("d:") === 0) {
      decisions[txn] = storage.get(key);
      counts[decisions[txn]]++;
    }
  });
  Object.keys(votes).forEach(function (txn) {
    if (votes[txn] === "yes" && !decisions[txn]) unsure[txn] = true;
  });
}

/** Every `resend`: a participant that voted yes and has no decision asks the coordinator (it may not decide alone). */
function participantTick() {
  uncertain().forEach(function (txn) {
    node.send(coordinator, { type: "status", txn: txn });
  });
}

// ---------------------------------------------------------------- messages

node.on("txn", function (req) {
  var txn = req.body.txn;
  var answer = function (body) {
    node.reply(req, body);
  };
  if (me === coordinator) begin(txn, answer);
  else {
    node.rpc(coordinator, { type: "txn", txn: txn }, function (err, res) {
      answer(err || res);
    }, FORWARD_TIMEOUT_MS);
  }
  noteState();
});

node.on("prepare", function (req) {
  onPrepare(req.body.txn, req.src);
  noteState();
});

node.on("vote", function (req) {
  if (me === coordinator) onVote(req.body.txn, req.src, req.body.vote);
  noteState();
});

node.on("decide", function (req) {
  learn(req.body.txn, req.body.decision);
  node.send(req.src, { type: "decide_ok", txn: req.body.txn });
  noteState();
});

node.on("decide_ok", function (req) {
  if (me === coordinator) onDecideOk(req.body.txn, req.src);
  noteState();
});

node.on("status", function (req) {
  if (req.body.txn === undefined) {
    // The workload's final read: how many transactions this node decided, and which it is still unsure of.
    var unsure = me === coordinator ? Object.keys(open).map(Number).filter(function (txn) {
      return !open[txn].decision;
    }) : uncertain();
    node.reply(req, { type: "status_ok", decided: counts.commit + counts.abort, undecided: unsure });
    return;
  }
  if (me === coordinator) onStatus(req.body.txn, req.src);
  noteState();
});

// ---------------------------------------------------------------- the run page

function coordinatorState() {
  var txns = {};
  Object.keys(open)
    .map(Number)
    .sort(function (a, b) {
      return a - b;
    })
    .slice(-SHOWN_TXNS)
    .forEach(function (txn) {
      var t = open[txn];
      txns[txn] = { phase: t.phase, votes: t.votes, decision: t.decision };
    });
  return { role: "coordinator", open: txns, committed: counts.commit, aborted: counts.abort };
}

function participantState() {
  var txns = {};
  recent.forEach(function (txn) {
    txns[txn] = { vote: votes[txn] || null, decision: decisions[txn] || null };
  });
  return { role: "participant", txns: txns, uncertain: uncertain().slice(-SHOWN_TXNS), committed: counts.commit, aborted: counts.abort };
}

/** The node's state as the run page's state panel shows it, noted when it changes. */
function noteState() {
  if (!changed) return;
  changed = false;
  faultline.note("state", me === coordinator ? coordinatorState() : participantState());
}

node.on("init", function () {
  me = node.nodeId();
  coordinator = node.nodeIds()[0];
  participants = node.nodeIds().slice(1);
  if (me === coordinator) recoverCoordinator();
  else recoverParticipant();
  setInterval(function () {
    if (me === coordinator) coordinatorTick();
    else participantTick();
    noteState();
  }, config.resend);
  noteState();
});

node.main();
