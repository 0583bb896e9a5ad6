// A Paxos acceptor's durable state (Paxos Made Simple, section 2): per slot the highest ballot it
// promised and the last value it accepted, the decisions it learned, and the ballots it has seen.
"use strict";

var node = require("maelstrom");
var faultline = require("faultline");

var storage = faultline.storage;

/** A ballot is round * BALLOT_NODES + the proposer's position among the nodes (at most 1024 nodes). */
var BALLOT_NODES = 1024;

var round = 0; // the highest round this node has used or seen in any ballot
var slots = {}; // slot -> { promised, accepted: { ballot, value } | null }, as in storage
var decisions = {}; // slot -> decided value
var highest = 0; // the highest slot decided
var known = []; // every slot this node has state for, ascending (for the state panel)
var changes = 0; // moves whenever anything above changes

/** Reads what survived a crash: the round, every slot's promise and acceptance, every decision. */
function load() {
  round = storage.get("round") || 0;
  storage.keys().forEach(function (k) {
    var slot = Number(k.slice(k.indexOf(":") + 1));
    if (k.indexOf("slot:") === 0) slots[slot] = storage.get(k);
    else if (k.indexOf("decided:") === 0) {
      decisions[slot] = storage.get(k);
      highest = Math.max(highest, slot);
    } else return;
    remember(slot);
  });
}

function remember(slot) {
  changes++;
  if (known.indexOf(slot) >= 0) return;
  known.push(slot);
  known.sort(function (a, b) {
    return a - b;
  });
}

function state(slot) {
  return slots[slot] || { promised: -1, accepted: null };
}

function save(slot, s) {
  slots[slot] = s;
  storage.set("slot:" + slot, s);
  remember(slot);
}

/** Phase 1b: promise never to accept a ballot below `ballot`, reporting the last value accepted. */
function prepare(slot, ballot) {
  seeBallot(ballot);
  if (decisions[slot] !== undefined) return { type: "decided", slot: slot, value: decisions[slot] };
  var s = state(slot);
  if (ballot < s.promised) return { type: "nack", slot: slot, ballot: ballot, promised: s.promised };
  if (ballot > s.promised) {
    save(slot, { promised: ballot, accepted: s.accepted });
    faultline.note("promise", { slot: slot, ballot: describeBallot(ballot) });
  }
  return { type: "promise", slot: slot, ballot: ballot, accepted: s.accepted };
}

/** Phase 2b: accept (ballot, value) unless a higher ballot was promised. */
function accept(slot, ballot, value) {
  seeBallot(ballot);
  if (decisions[slot] !== undefined) return { type: "decided", slot: slot, value: decisions[slot] };
  var s = state(slot);
  if (ballot < s.promised) return { type: "nack", slot: slot, ballot: ballot, promised: s.promised };
  if (!s.accepted || s.accepted.ballot !== ballot) {
    save(slot, { promised: ballot, accepted: { ballot: ballot, value: value } });
    faultline.note("accept", { slot: slot, ballot: describeBallot(ballot), id: value.id });
  }
  return { type: "accepted", slot: slot, ballot: ballot };
}

function decision(slot) {
  return decisions[slot];
}

/** The highest slot this node knows to be decided (0: none). */
function highestDecided() {
  return highest;
}

/** Every slot this node knows to be decided. */
function decidedSlots() {
  return Object.keys(decisions).map(Number);
}

/** Records a decision; false if the slot was already decided here (a node decides once per slot). */
function decide(slot, value) {
  if (decisions[slot] !== undefined) return false;
  decisions[slot] = value;
  highest = Math.max(highest, slot);
  storage.set("decided:" + slot, value);
  remember(slot);
  faultline.note("decide", { slot: slot, value: value });
  return true;
}

/** A ballot above every ballot this node has used or seen, kept in storage before it is used. */
function newBallot() {
  round++;
  storage.set("round", round);
  return round * BALLOT_NODES + node.nodeIds().indexOf(node.nodeId());
}

function seeBallot(ballot) {
  var r = Math.floor(ballot / BALLOT_NODES);
  if (r > round) {
    round = r;
    storage.set("round", round);
  }
}

/** A ballot as people read it: "<round>.<node>". */
function describeBallot(ballot) {
  if (ballot < 0) return null;
  return Math.floor(ballot / BALLOT_NODES) + "." + node.nodeIds()[ballot % BALLOT_NODES];
}

/** The last `count` slots this node knows of, with their promise, acceptance and decision. */
function shown(count, describeValue) {
  return known.slice(-count).map(function (slot) {
    var s = state(slot);
    var d = decisions[slot];
    return {
      slot: slot,
      promised: describeBallot(s.promised),
      accepted: s.accepted ? describeBallot(s.accepted.ballot) + " " + describeValue(s.accepted.value) : null,
      decided: d === undefined ? null : describeValue(d),
    };
  });
}

function version() {
  return changes;
}

module.exports = {
  load: load,
  prepare: prepare,
  accept: accept,
  decision: decision,
  decidedSlots: decidedSlots,
  highestDecided: highestDecided,
  decide: decide,
  newBallot: newBallot,
  seeBallot: seeBallot,
  describeBallot: describeBallot,
  shown: shown,
  version: version,
};
