// Primary-backup replication of a key-value store, in the manner of Viewstamped Replication: the
// primary of view v is the v-th node in order; it puts every operation in its log, forwards it to
// its backups and answers once a majority of the nodes (itself included) has it in durable storage.
// A backup that hears nothing from the primary for `suspectAfter` starts a view change to the next
// view; the new primary collects the logs of a majority and takes the most up-to-date one, which
// holds every acknowledged write because any two majorities share a node. Safe under crashes with
// restarts (the log is durable), partitions, loss, duplication and delay; live while a majority is
// up and connected. Reads go through the log too, so an old primary cut off from the rest cannot
// answer from stale state.
// Notes: "view-change" { view, primary } when a node moves to a view and starts a view change,
// "primary" { view, log } when a node starts acting as primary, "apply" { index, id } when a node
// applies a log entry, "ack" { index, id } when the primary acknowledges a write or a successful cas,
// and "state" { role, view, primary, log, commit, last, acked } for the run page's state panel.
"use strict";

var node = require("maelstrom");
var faultline = require("faultline");
var config = require("./config");

var storage = faultline.storage;
var variant = config.variant; // null, or the name of a bug (docs/protocols.md)

/** How long a node that is not the primary waits for the primary's answer to a request it passed on, ms. */
var FORWARD_TIMEOUT_MS = 1000;
/** How many of the newest log entries the state note shows. */
var SHOWN_ENTRIES = 3;

var me = null;
var ids = [];
var majority = 1;

// Durable (kept in storage, reloaded after a crash).
var view = 0; // the highest view this node has joined
var normalView = 0; // the last view whose log this node installed: in normal operation iff normalView === view
var primary = null; // the primary of `view`
var log = []; // entries { v, id, op, key, value, from, to }; log[i - 1] is index i
var commit = 0; // entries 1..commit are committed

// Volatile (lost in a crash).
var applied = 0;
var kv = Object.create(null);
var results = Object.create(null); // entry id -> the answer its operation got
var indexOf = Object.create(null); // entry id -> its log index: a request that arrives twice is appended once
var waiting = Object.create(null); // entry id -> functions that answer it (primary only)
var acked = Object.create(null); // primary: backup -> how much of the log it has confirmed
var next = Object.create(null); // primary: backup -> where the next prepare to it starts
var votes = null; // the primary of a view being formed: node -> { normal, length, commit }
var fetching = null; // the new primary copying the most up-to-date log: { from, base, entries, length }
var lastHeardMs = 0; // when the primary, or the view change, last showed progress (local clock)
var shown = ""; // what the last state note showed, in short (noteState)

// ---------------------------------------------------------------- the log, in durable storage

function primaryOf(v) {
  return ids[v % ids.length];
}

function others() {
  return ids.filter(function (n) {
    return n !== me;
  });
}

function isPrimary() {
  return normalView === view && primary === me;
}

function append(entry) {
  log.push(entry);
  indexOf[entry.id] = log.length;
  storage.set("e:" + log.length, entry);
  storage.set("length", log.length);
}

/** Drops the entries after index k (never committed ones: k is at least the commit index). */
function truncate(k) {
  while (log.length > k) {
    var entry = log.pop();
    if (indexOf[entry.id] === log.length + 1) delete indexOf[entry.id];
    storage.delete("e:" + (log.length + 1));
  }
  storage.set("length", log.length);
}

function setView(v, p) {
  view = v;
  primary = p;
  storage.set("view", v);
  storage.set("primary", p);
}

function setNormal() {
  normalView = view;
  storage.set("normal", view);
}

function setCommit(c) {
  commit = c;
  storage.set("commit", c);
  applyCommitted();
}

/** Reloads what survived a crash and applies the committed entries again. */
function recover() {
  view = storage.get("view") || 0;
  normalView = storage.get("normal") || 0;
  primary = storage.get("primary") || primaryOf(view);
  commit = storage.get("commit") || 0;
  var length = storage.get("length") || 0;
  for (var i = 1; i <= length; i++) {
    var entry = storage.get("e:" + i);
    log.push(entry);
    indexOf[entry.id] = i;
  }
  applyCommitted();
}

// ---------------------------------------------------------------- the key-value store

function error(code, text) {
  return { type: "error", code: code, text: text };
}

function has(key) {
  return Object.prototype.hasOwnProperty.call(kv, key);
}

/** Applies one entry to the store and returns the answer its operation gets. */
function execute(e) {
  var key = String(e.key);
  if (e.op === "read") return has(key) ? { type: "read_ok", value: kv[key] } : error(20, "no such key");
  if (e.op === "write") {
    kv[key] = e.value;
    return { type: "write_ok" };
  }
  if (!has(key)) return error(20, "no such key");
  if (kv[key] !== e.from) return error(22, "expected " + e.from + ", found " + kv[key]);
  kv[key] = e.to;
  return { type: "cas_ok" };
}

/** Applies the committed entries not yet applied, and answers the clients waiting for them. */
function applyCommitted() {
  while (applied < commit) {
    applied++;
    var e = log[applied - 1];
    var result = execute(e);
    results[e.id] = result;
    faultline.note("apply", { index: applied, id: e.id });
    var answers = waiting[e.id];
    if (!answers) continue;
    delete waiting[e.id];
    if (e.op !== "read" && result.type !== "error") faultline.note("ack", { index: applied, id: e.id });
    answers.forEach(function (answer) {
      answer(result);
    });
  }
}

// ---------------------------------------------------------------- client operations

/** An operation from a client (id: who asked, with which msg_id), answered through `answer`. */
function request(op, id, answer) {
  if (!isPrimary()) return pass(op, id, answer);
  var at = indexOf[id];
  if (at !== undefined) {
    if (at <= applied) answer(results[id]);
    else wait(id, answer);
    return;
  }
  append({ v: view, id: id, op: op.type, key: op.key, value: op.value, from: op.from, to: op.to });
  wait(id, answer);
  others().forEach(sendPrepare);
  advanceCommit();
}

function wait(id, answer) {
  (waiting[id] = waiting[id] || []).push(answer);
}

/** A node that is not the primary passes the operation on to the primary it knows, and its answer back. */
function pass(op, id, answer) {
  if (normalView !== view || primary === me) return answer(error(11, "no primary: a view change is under way"));
  node.rpc(primary, { type: "forward", id: id, op: op }, function (err, res) {
    answer(err || res);
    noteState();
  }, FORWARD_TIMEOUT_MS);
}

function operation(body) {
  return { type: body.type, key: body.key, value: body.value, from: body.from, to: body.to };
}

["read", "write", "cas"].forEach(function (type) {
  node.on(type, function (req) {
    request(operation(req.body), req.src + ":" + req.body.msg_id, function (body) {
      node.reply(req, body);
    });
    noteState();
  });
});

node.on("forward", function (req) {
  if (!isPrimary()) {
    node.reply(req, error(11, "not the primary"));
    return;
  }
  request(operation(req.body.op), req.body.id, function (body) {
    node.reply(req, body);
  });
  noteState();
});

// ---------------------------------------------------------------- normal operation

/** The primary sends a backup the entries it may lack (at most `batch`), and the commit index. */
function sendPrepare(b) {
  var from = Math.min(next[b] || 0, log.length);
  node.send(b, { type: "prepare", view: view, from: from, entries: log.slice(from, from + config.batch), commit: commit });
}

/** The primary commits what a majority of the nodes (itself included) has in its log. */
function advanceCommit() {
  var have = [log.length];
  others().forEach(function (b) {
    have.push(acked[b] || 0);
  });
  have.sort(function (a, b) {
    return b - a;
  });
  var c = variant === "ack-before-backup" ? log.length : have[majority - 1];
  if (c > commit) setCommit(c);
}

node.on("prepare", function (req) {
  var b = req.body;
  if (b.view < view) {
    node.send(req.src, { type: "prepare_ok", view: view, have: 0 }); // an old primary: tell it about the newer view
    return;
  }
  if (b.view > view || normalView !== view) {
    if (variant !== "every-backup-takes-over" && req.src !== primaryOf(b.view)) return;
    adopt(b.view, req.src);
  }
  if (req.src !== primary) return;
  lastHeardMs = Date.now();
  if (b.from > log.length) {
    node.send(req.src, { type: "prepare_ok", view: view, have: log.length, gap: true });
    return;
  }
  for (var i = log.length - b.from; i < b.entries.length; i++) append(b.entries[i]);
  var c = Math.min(b.commit, log.length);
  if (c > commit) setCommit(c);
  node.send(req.src, { type: "prepare_ok", view: view, have: log.length });
  noteState();
});

/**
 * This node becomes a backup of view v, which `p` leads in normal operation. Its entries past its
 * commit index may differ from the primary's log: it drops them and gets the primary's instead.
 */
function adopt(v, p) {
  setView(v, p);
  truncate(commit);
  setNormal();
  votes = null;
  fetching = null;
  waiting = Object.create(null);
}

node.on("prepare_ok", function (req) {
  var b = req.body;
  if (b.view > view) {
    enterViewChange(b.view, null);
    noteState();
    return;
  }
  if (b.view < view || !isPrimary()) return;
  acked[req.src] = Math.max(acked[req.src] || 0, b.have);
  next[req.src] = b.have;
  if (b.gap) sendPrepare(req.src);
  advanceCommit();
  noteState();
});

// ---------------------------------------------------------------- view change

/** This node moves to view v and starts (or joins) its view change; `claimant` is who started it. */
function enterViewChange(v, claimant) {
  setView(v, variant === "every-backup-takes-over" ? claimant || me : primaryOf(v));
  votes = primary === me ? Object.create(null) : null;
  fetching = null;
  waiting = Object.create(null);
  lastHeardMs = Date.now();
  faultline.note("view-change", { view: v, primary: primary });
  sendViewChange();
}

/** What this node tells the new primary: how up to date its log is. Its log stays as is until the view starts. */
function myVote() {
  return { normal: normalView, length: log.length, commit: commit };
}

function sendViewChange() {
  others().forEach(function (n) {
    node.send(n, { type: "start_view_change", view: view, primary: primary });
  });
  if (primary !== me) {
    var vote = myVote();
    node.send(primary, { type: "do_view_change", view: view, normal: vote.normal, length: vote.length, commit: vote.commit });
  } else {
    votes[me] = myVote();
    if (fetching) requestEntries();
    else countVotes();
  }
}

node.on("start_view_change", function (req) {
  var b = req.body;
  if (b.view > view) enterViewChange(b.view, b.primary);
  else if (b.view === view && normalView !== view && variant === "every-backup-takes-over" && b.primary !== me) {
    // The bug: this node backs every node that claims the view, not only the first.
    var vote = myVote();
    node.send(b.primary, { type: "do_view_change", view: view, normal: vote.normal, length: vote.length, commit: vote.commit });
  }
  noteState();
});

node.on("do_view_change", function (req) {
  var b = req.body;
  if (b.view > view) enterViewChange(b.view, me);
  if (b.view !== view || normalView === view || primary !== me || !votes) return;
  votes[req.src] = { normal: b.normal, length: b.length, commit: b.commit };
  countVotes();
  noteState();
});

/** Is log a more up to date than log b? The later normal view wins, then the longer log. */
function newer(a, b) {
  return a.normal !== b.normal ? a.normal > b.normal : a.length > b.length;
}

/** With a majority's votes, the new primary takes the most up-to-date log among them. */
function countVotes() {
  if (fetching || Object.keys(votes).length < majority) return;
  var best = me;
  ids.forEach(function (n) {
    if (votes[n] && newer(votes[n], votes[best])) best = n;
  });
  if (best === me) return install();
  // Entries up to this node's commit index are the same everywhere; in the same normal view, its log is a prefix of best's.
  var base = votes[best].normal === normalView ? log.length : commit;
  fetching = { from: best, base: base, entries: [], length: votes[best].length };
  requestEntries();
}

function requestEntries() {
  node.send(fetching.from, { type: "fetch", view: view, from: fetching.base + fetching.entries.length });
}

node.on("fetch", function (req) {
  var b = req.body;
  if (b.view !== view || normalView === view) return; // this log may have changed since the vote
  node.send(req.src, { type: "fetch_ok", view: view, from: b.from, entries: log.slice(b.from, b.from + config.batch) });
});

node.on("fetch_ok", function (req) {
  var b = req.body;
  if (!fetching || b.view !== view || req.src !== fetching.from || b.from !== fetching.base + fetching.entries.length) return;
  fetching.entries = fetching.entries.concat(b.entries);
  if (fetching.base + fetching.entries.length >= fetching.length) install();
  else requestEntries();
  noteState();
});

/** The new primary installs the log it chose and starts the view. */
function install() {
  if (fetching) {
    truncate(fetching.base);
    fetching.entries.forEach(append);
  }
  setNormal();
  acked = Object.create(null);
  next = Object.create(null);
  others().forEach(function (b) {
    // A backup that voted keeps exactly its committed entries when it joins the view.
    acked[b] = votes && votes[b] ? votes[b].commit : 0;
    next[b] = votes && votes[b] ? votes[b].commit : log.length;
  });
  votes = null;
  fetching = null;
  startPrimary();
}

function startPrimary() {
  faultline.note("primary", { view: view, log: log.length });
  others().forEach(sendPrepare);
  advanceCommit();
}

// ---------------------------------------------------------------- failure detection

/** Every heartbeat: the primary sends prepares (empty when the backup is up to date); the others watch the time. */
function tick() {
  if (isPrimary()) others().forEach(sendPrepare);
  else if (Date.now() - lastHeardMs >= config.suspectAfter) enterViewChange(view + 1, me);
  else if (normalView !== view) sendViewChange();
  noteState();
}

// ---------------------------------------------------------------- the run page

function describe(e) {
  if (e.op === "read") return "read " + e.key;
  if (e.op === "write") return "write " + e.key + "=" + e.value;
  return "cas " + e.key + " " + e.from + "→" + e.to;
}

/**
 * The node's state as the run page's state panel shows it, noted when it changes. What it shows is
 * a function of the role, view, log length, commit index and the backups' acknowledgements, so
 * those are compared first (most events change none of them).
 */
function noteState() {
  var role = normalView !== view ? "view-change" : primary === me ? "primary" : "backup";
  var fingerprint = role + " " + view + " " + log.length + " " + commit;
  if (role === "primary") {
    for (var i = 0; i < ids.length; i++) fingerprint += " " + (acked[ids[i]] || 0);
  }
  if (fingerprint === shown) return;
  shown = fingerprint;
  var state = { role: role, view: view, primary: primary, log: log.length, commit: commit, last: log.slice(-SHOWN_ENTRIES).map(describe) };
  if (role === "primary") {
    state.acked = {};
    others().forEach(function (b) {
      state.acked[b] = acked[b] || 0;
    });
  }
  faultline.note("state", state);
}

node.on("init", function () {
  me = node.nodeId();
  ids = node.nodeIds();
  majority = Math.floor(ids.length / 2) + 1;
  recover();
  lastHeardMs = Date.now();
  if (isPrimary()) {
    others().forEach(function (b) {
      next[b] = log.length;
    });
    startPrimary();
  } else if (normalView !== view) {
    if (primary === me) votes = Object.create(null);
    sendViewChange();
  }
  setInterval(tick, config.heartbeat);
  noteState();
});

node.main();
