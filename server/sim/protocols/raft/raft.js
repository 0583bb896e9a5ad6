// Raft as Figure 2 of the paper states it (Ongaro and Ousterhout, 2014): elections, replication,
// commit by majority, and the key-value state machine of kv.js serving lin-kv (docs/protocols.md).
"use strict";

var node = require("maelstrom");
var faultline = require("faultline");
var config = require("./config");
var kv = require("./kv");
var disk = require("./persistent");

var variant = config.variant; // null, or a bug of docs/protocols.md

/** Entries of the log's tail that a state note shows (it gives the whole length too). */
var NOTE_LOG_ENTRIES_MAX = 16;
/** How many times a client request may be passed on between nodes looking for the leader. */
var FORWARD_HOPS_MAX = 3;
/** Client requests a node holds while it knows no leader; more are dropped (their clients time out). */
var HELD_REQUESTS_MAX = 64;

var electionMinMs = config.electionTimeoutMin;
var electionMaxMs = Math.max(config.electionTimeoutMin, config.electionTimeoutMax);

// Volatile state on all servers (Figure 2), and the node's role.
var commitIndex = 0;
var lastApplied = 0;
var role = "follower";
var leaderId = null;
var votes = null; // candidate: the nodes that voted for it in currentTerm
// Volatile state on leaders.
var nextIndex = {};
var matchIndex = {};
var machine = kv.create();
var answering = {}; // index -> id of the client command this node appended there (it answers when applied)
var held = []; // client commands waiting for a leader to be known
var electionTimer = null;
var tickTimer = null;
var lastStateKey = null;

function me() {
  return node.nodeId();
}

function peers() {
  return node.nodeIds().filter(function (n) {
    return n !== me();
  });
}

function isMajority(count) {
  return count * 2 > node.nodeIds().length;
}

// ------------------------------------------------------------------ events: every entry point notes the state after it

function handle(type, fn) {
  node.on(type, function (req) {
    fn(req);
    noteState();
  });
}

function after(ms, fn) {
  return setTimeout(function () {
    fn();
    noteState();
  }, ms);
}

/** The node's state as the run page's state panel shows it, noted when it changed. */
function noteState() {
  var key = [role, disk.currentTerm(), disk.vote(), leaderId, disk.version(), commitIndex, lastApplied].join(" ");
  if (key === lastStateKey) return;
  lastStateKey = key;
  var shown = [];
  for (var i = Math.max(1, disk.lastIndex() - NOTE_LOG_ENTRIES_MAX + 1); i <= disk.lastIndex(); i++) {
    var e = disk.entry(i);
    shown.push({ index: i, term: e.term, op: kv.describe(e.op) });
  }
  faultline.note("state", { role: role, term: disk.currentTerm(), votedFor: disk.vote(), leader: leaderId, log: shown, logLength: disk.lastIndex(), commitIndex: commitIndex, lastApplied: lastApplied });
}

// ------------------------------------------------------------------ timers

function randomElectionMs() {
  return electionMinMs + Math.random() * (electionMaxMs - electionMinMs);
}

function resetElectionTimer() {
  clearTimeout(electionTimer);
  electionTimer = after(randomElectionMs(), function () {
    if (role !== "leader") startElection();
  });
}

/** Leaders send AppendEntries (heartbeats) and candidates ask again for missing votes, every `heartbeat`. */
function startTick() {
  clearTimeout(tickTimer);
  tickTimer = after(config.heartbeat, function () {
    if (role === "leader") peers().forEach(sendAppend);
    else if (role === "candidate") requestVotes();
    if (role !== "follower") startTick();
  });
}

// ------------------------------------------------------------------ roles

function becomeFollower(term) {
  if (term > disk.currentTerm()) {
    disk.setTerm(term, null);
    leaderId = null;
  }
  if (role === "follower") return;
  role = "follower";
  votes = null;
  clearTimeout(tickTimer);
  resetElectionTimer();
}

function startElection() {
  role = "candidate";
  leaderId = null;
  disk.setTerm(disk.currentTerm() + 1, me());
  votes = {};
  votes[me()] = true;
  resetElectionTimer();
  if (isMajority(1)) return becomeLeader();
  requestVotes();
  startTick();
}

function requestVotes() {
  var body = { type: "request_vote", term: disk.currentTerm(), candidate: me(), lastLogIndex: disk.lastIndex(), lastLogTerm: disk.lastTerm() };
  peers().forEach(function (p) {
    if (!votes[p]) node.send(p, body);
  });
}

function becomeLeader() {
  role = "leader";
  leaderId = me();
  votes = null;
  clearTimeout(electionTimer);
  faultline.note("elected", { term: disk.currentTerm(), lastIndex: disk.lastIndex() });
  peers().forEach(function (p) {
    nextIndex[p] = disk.lastIndex() + 1;
    matchIndex[p] = 0;
  });
  // A no-op of the new term: committing it commits everything before it (Raft section 8).
  if (variant !== "commit-old-term") appendCommand({ type: "noop" }, "noop:" + me() + ":" + disk.currentTerm());
  peers().forEach(sendAppend);
  advanceCommit();
  startTick();
  releaseHeld();
}

// ------------------------------------------------------------------ elections

/** The candidate's log is at least as up-to-date as this node's (section 5.4.1). */
function upToDate(lastLogIndex, lastLogTerm) {
  if (lastLogTerm !== disk.lastTerm()) return lastLogTerm > disk.lastTerm();
  return lastLogIndex >= disk.lastIndex();
}

handle("request_vote", function (req) {
  var b = req.body;
  if (b.term > disk.currentTerm()) becomeFollower(b.term);
  var free = disk.vote() === null || disk.vote() === req.src || variant === "vote-twice";
  var grant = b.term === disk.currentTerm() && free && (variant === "vote-without-log-check" || upToDate(b.lastLogIndex, b.lastLogTerm));
  if (grant) {
    disk.setTerm(disk.currentTerm(), req.src);
    resetElectionTimer();
  }
  node.send(req.src, { type: "request_vote_res", term: disk.currentTerm(), granted: grant });
});

handle("request_vote_res", function (req) {
  var b = req.body;
  if (b.term > disk.currentTerm()) return becomeFollower(b.term);
  if (role !== "candidate" || b.term !== disk.currentTerm() || !b.granted) return;
  votes[req.src] = true;
  if (isMajority(Object.keys(votes).length)) becomeLeader();
});

// ------------------------------------------------------------------ replication: the leader's side

function sendAppend(peer) {
  var prev = nextIndex[peer] - 1;
  node.send(peer, {
    type: "append_entries",
    term: disk.currentTerm(),
    prevLogIndex: prev,
    prevLogTerm: disk.termAt(prev),
    entries: disk.slice(prev + 1, config.batch),
    leaderCommit: commitIndex,
  });
}

function appendCommand(op, id) {
  disk.append([{ term: disk.currentTerm(), id: id, op: op }]);
  return disk.lastIndex();
}

/** The leader appends a client command and sends it at once to the followers that had all before it. */
function propose(cmd) {
  var id = kv.commandId(cmd);
  answering[appendCommand(cmd, id)] = id;
  peers().forEach(function (p) {
    if (nextIndex[p] === disk.lastIndex()) sendAppend(p);
  });
  advanceCommit();
}

handle("append_entries_res", function (req) {
  var b = req.body;
  if (b.term > disk.currentTerm()) return becomeFollower(b.term);
  if (role !== "leader" || b.term !== disk.currentTerm()) return;
  var p = req.src;
  if (b.success) {
    matchIndex[p] = Math.max(matchIndex[p], b.matchIndex);
    nextIndex[p] = matchIndex[p] + 1;
    advanceCommit();
  } else {
    nextIndex[p] = Math.max(matchIndex[p] + 1, Math.min(nextIndex[p] - 1, backOffTo(b)));
  }
  if (!b.success || nextIndex[p] <= disk.lastIndex()) sendAppend(p);
});

/**
 * Where to retry after a failed consistency check: past the follower's log if it is shorter, else
 * after the leader's last entry of the conflicting term (or at the first entry of that term on
 * the follower, if the leader has none), skipping a whole term per round trip.
 */
function backOffTo(b) {
  if (b.conflictTerm === null) return b.conflictIndex;
  var last = disk.lastIndexOfTerm(b.conflictTerm);
  return last > 0 ? last + 1 : b.conflictIndex;
}

/** Commits the highest index a majority has, if its entry is of the current term (section 5.4.2). */
function advanceCommit() {
  for (var n = disk.lastIndex(); n > commitIndex; n--) {
    if (variant !== "commit-old-term" && disk.termAt(n) !== disk.currentTerm()) return;
    var copies = 1;
    peers().forEach(function (p) {
      if (matchIndex[p] >= n) copies++;
    });
    if (isMajority(copies)) return commitTo(n);
  }
}

function commitTo(index) {
  commitIndex = index;
  faultline.note("commit", { term: disk.currentTerm(), index: index });
  applyCommitted();
}

// ------------------------------------------------------------------ replication: the follower's side

handle("append_entries", function (req) {
  var b = req.body;
  if (b.term < disk.currentTerm()) return node.send(req.src, { type: "append_entries_res", term: disk.currentTerm(), success: false, conflictIndex: 0, conflictTerm: null });
  if (b.term > disk.currentTerm() || role !== "follower") becomeFollower(b.term);
  leaderId = req.src;
  resetElectionTimer();
  releaseHeld();
  var check = consistency(b.prevLogIndex, b.prevLogTerm);
  if (check !== null) return node.send(req.src, check);
  storeEntries(b.prevLogIndex, b.entries);
  var lastNew = b.prevLogIndex + b.entries.length;
  if (Math.min(b.leaderCommit, lastNew) > commitIndex) commitTo(Math.min(b.leaderCommit, lastNew));
  node.send(req.src, { type: "append_entries_res", term: disk.currentTerm(), success: true, matchIndex: lastNew });
});

/** The consistency check: null when the log has prevLogTerm at prevLogIndex, else the refusal with a hint. */
function consistency(prevLogIndex, prevLogTerm) {
  var refusal = { type: "append_entries_res", term: disk.currentTerm(), success: false };
  if (prevLogIndex > disk.lastIndex()) {
    refusal.conflictIndex = disk.lastIndex() + 1;
    refusal.conflictTerm = null;
    return refusal;
  }
  var t = disk.termAt(prevLogIndex);
  if (t === prevLogTerm || variant === "skip-prev-term-check") return null;
  refusal.conflictTerm = t;
  refusal.conflictIndex = disk.firstIndexOfTerm(prevLogIndex);
  return refusal;
}

/** Deletes an existing entry that conflicts with a new one (and all that follow), then appends what is new. */
function storeEntries(prevLogIndex, entries) {
  var fresh = [];
  for (var k = 0; k < entries.length; k++) {
    var i = prevLogIndex + 1 + k;
    if (fresh.length === 0 && i <= disk.lastIndex()) {
      if (disk.termAt(i) === entries[k].term) continue;
      forgetAnswers(i);
      disk.truncate(i);
    }
    fresh.push(entries[k]);
  }
  disk.append(fresh);
}

function forgetAnswers(from) {
  Object.keys(answering).forEach(function (i) {
    if (Number(i) >= from) delete answering[i];
  });
}

// ------------------------------------------------------------------ the state machine

function applyCommitted() {
  while (lastApplied < commitIndex) {
    lastApplied++;
    var e = disk.entry(lastApplied);
    var reply = e.op.type === "noop" ? null : kv.apply(machine, e.op);
    faultline.note("apply", { index: lastApplied, term: e.term, id: e.id });
    if (answering[lastApplied] === e.id && reply !== null) node.send(e.op.client, Object.assign({}, reply, { in_reply_to: e.op.msgId }));
    delete answering[lastApplied];
  }
}

// ------------------------------------------------------------------ clients

/**
 * A client command goes to the leader: appended here, passed on, or held until a leader is known.
 * No node answers "not the leader": with duplicated messages a copy of a refused request may still
 * reach a leader later, so a refusal could not promise that the operation did not happen.
 */
function route(cmd, hops) {
  if (role === "leader") return propose(cmd);
  if (leaderId !== null && leaderId !== me()) {
    if (hops < FORWARD_HOPS_MAX) node.send(leaderId, { type: "forward", command: cmd, hops: hops + 1 });
    return;
  }
  if (held.length < HELD_REQUESTS_MAX) held.push({ command: cmd, hops: hops });
}

function releaseHeld() {
  var waiting = held;
  held = [];
  waiting.forEach(function (h) {
    route(h.command, h.hops);
  });
}

["read", "write", "cas"].forEach(function (type) {
  handle(type, function (req) {
    route(kv.command(req.src, req.body), 0);
  });
});

handle("forward", function (req) {
  route(req.body.command, req.body.hops);
});

// ------------------------------------------------------------------ start

node.on("init", function () {
  disk.load();
  faultline.note("start", { term: disk.currentTerm(), votedFor: disk.vote(), logLength: disk.lastIndex() });
  resetElectionTimer();
  noteState();
});

node.main();
