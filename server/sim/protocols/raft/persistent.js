// Raft's persistent state (Figure 2): currentTerm, votedFor and the log, in durable storage and
// written before any message that depends on them. Every change to the log is noted for the checks.
"use strict";

var faultline = require("faultline");

var storage = faultline.storage;

var term = 0;
var votedFor = null;
var log = []; // log[i - 1] is entry i: { term, id, op }
var changes = 0; // how many times the log changed (the state panel notes it again when this moves)

/** Reads what survived a crash. */
function load() {
  term = storage.get("currentTerm") || 0;
  var vote = storage.get("votedFor");
  votedFor = vote !== undefined ? vote : null;
  var length = storage.get("logLength") || 0;
  log = [];
  for (var i = 1; i <= length; i++) log.push(storage.get("log:" + i));
}

function currentTerm() {
  return term;
}

function vote() {
  return votedFor;
}

/** Moves to `newTerm` with `newVote` (null: no vote yet in it). */
function setTerm(newTerm, newVote) {
  term = newTerm;
  votedFor = newVote;
  storage.set("currentTerm", term);
  storage.set("votedFor", votedFor);
}

/** A number that moves whenever the log changes. */
function version() {
  return changes;
}

function lastIndex() {
  return log.length;
}

/** The entry at index i (1-based), or undefined. */
function entry(i) {
  return log[i - 1];
}

/** The term of entry i: 0 for index 0 (before the log), -1 past its end. */
function termAt(i) {
  if (i === 0) return 0;
  return i <= log.length ? log[i - 1].term : -1;
}

function lastTerm() {
  return termAt(log.length);
}

/** The first index of the run of entries of term t that contains index i. */
function firstIndexOfTerm(i) {
  var t = termAt(i);
  while (i > 1 && termAt(i - 1) === t) i--;
  return i;
}

/** The last index whose entry has term t, or 0. */
function lastIndexOfTerm(t) {
  for (var i = log.length; i > 0; i--) if (log[i - 1].term === t) return i;
  return 0;
}

/** `count` entries from index `from` on. */
function slice(from, count) {
  return log.slice(from - 1, from - 1 + count);
}

/** Appends entries at the end of the log. Note: append { term, index, entries: [[term, id], ...] }. */
function append(entries) {
  if (entries.length === 0) return;
  var index = log.length + 1;
  for (var i = 0; i < entries.length; i++) {
    log.push(entries[i]);
    storage.set("log:" + log.length, entries[i]);
  }
  storage.set("logLength", log.length);
  changes++;
  faultline.note("append", { term: term, index: index, entries: entries.map(function (e) {
    return [e.term, e.id];
  }) });
}

/** Deletes entry `from` and all that follow it. Note: truncate { term, index }. */
function truncate(from) {
  if (from > log.length) return;
  for (var i = from; i <= log.length; i++) storage.delete("log:" + i);
  log.length = from - 1;
  storage.set("logLength", log.length);
  changes++;
  faultline.note("truncate", { term: term, index: from });
}

module.exports = {
  load: load,
  currentTerm: currentTerm,
  vote: vote,
  setTerm: setTerm,
  version: version,
  lastIndex: lastIndex,
  lastTerm: lastTerm,
  entry: entry,
  termAt: termAt,
  firstIndexOfTerm: firstIndexOfTerm,
  lastIndexOfTerm: lastIndexOfTerm,
  slice: slice,
  append: append,
  truncate: truncate,
};
