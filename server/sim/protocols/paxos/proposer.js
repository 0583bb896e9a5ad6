// A Paxos proposer (Paxos Made Simple, section 2.2), one attempt at a time per slot: phase 1 with a
// fresh ballot, phase 2 with the value the promises force, and a random back-off before retrying.
"use strict";

var node = require("maelstrom");
var faultline = require("faultline");
var config = require("./config");
var acceptor = require("./acceptor");

var variant = config.variant;

/** The back-off doubles after each failed attempt, at most this many times. */
var BACKOFF_DOUBLINGS_MAX = 5;

var active = {}; // slot -> the proposal in progress there
var latest = -1; // the ballot of this node's latest attempt (-1: none yet)
var send = null; // send(body): to every acceptor, this node's own included
var afterTimer = null; // called after each of the proposer's timers (the node notes its state)

/** `sendToAll(body)` sends a message to every node's acceptor, this node's included. */
function init(sendToAll, afterEachTimer) {
  send = sendToAll;
  afterTimer = afterEachTimer;
}

function majority() {
  return Math.floor(node.nodeIds().length / 2) + 1;
}

/**
 * Proposes `own` in `slot` (null: only learn what is chosen there). done(outcome) is called once:
 * { value } when a value is decided there (maybe another's), { none: true } when a learn-only
 * attempt finds that no acceptor of a majority has accepted anything.
 */
function start(slot, own, done) {
  var p = { slot: slot, own: own, done: done, ballot: -1, phase: 0, votes: null, value: null, failures: 0, timer: null };
  active[slot] = p;
  attempt(p);
}

function busy(slot) {
  return active[slot] !== undefined;
}

function attempt(p) {
  p.ballot = acceptor.newBallot();
  latest = p.ballot;
  p.phase = 1;
  p.votes = {};
  p.value = null;
  faultline.note("prepare", { slot: p.slot, ballot: acceptor.describeBallot(p.ballot) });
  arm(p, config.timeout, function () {
    retry(p);
  });
  send({ type: "prepare", slot: p.slot, ballot: p.ballot });
}

function arm(p, ms, fn) {
  clearTimeout(p.timer);
  p.timer = setTimeout(function () {
    fn();
    afterTimer();
  }, ms);
}

/**
 * After a nack or a timeout: wait a random time (doubling with failures), then try a higher ballot.
 * Two proposers that keep pre-empting each other's ballots (duelling) would never finish; a random
 * wait that grows with each failure lets one of them get through both phases undisturbed.
 */
function retry(p) {
  p.phase = 0;
  p.failures++;
  var spanMs = config.backoff * Math.pow(2, Math.min(p.failures - 1, BACKOFF_DOUBLINGS_MAX));
  arm(p, Math.random() * spanMs, function () {
    attempt(p);
  });
}

function current(body, phase, src) {
  var p = active[body.slot];
  if (p === undefined || p.phase !== phase || p.ballot !== body.ballot || p.votes[src]) return undefined;
  p.votes[src] = true;
  return p;
}

/** Phase 1a answered. With a quorum of promises, phase 2a: the highest-ballot value accepted, else its own. */
function promised(src, body) {
  var p = current(body, 1, src);
  if (p === undefined) return;
  if (body.accepted && (p.value === null || body.accepted.ballot > p.value.ballot)) p.value = body.accepted;
  var quorum = variant === "accept-without-promise-quorum" ? 1 : majority();
  if (Object.keys(p.votes).length < quorum) return;
  var forced = p.value ? p.value.value : null;
  var value = forced !== null && !(variant === "ignore-accepted-value" && p.own !== null) ? forced : p.own;
  if (value === null) return finish(p, { none: true });
  p.phase = 2;
  p.votes = {};
  p.value = { ballot: p.ballot, value: value };
  send({ type: "accept", slot: p.slot, ballot: p.ballot, value: value });
}

/** Phase 2a answered. With a majority of acceptances the value is chosen. Returns it, or undefined. */
function accepted(src, body) {
  var p = current(body, 2, src);
  if (p === undefined || Object.keys(p.votes).length < majority()) return undefined;
  return p.value.value;
}

/** An acceptor had promised a higher ballot: back off and retry above it. */
function refused(body) {
  var p = active[body.slot];
  if (p === undefined || p.phase === 0 || p.ballot !== body.ballot) return;
  acceptor.seeBallot(body.promised);
  retry(p);
}

/** The slot is decided (however this node learned it): the proposal there is over. */
function decided(slot, value) {
  var p = active[slot];
  if (p !== undefined) finish(p, { value: value });
}

function finish(p, outcome) {
  clearTimeout(p.timer);
  delete active[p.slot];
  p.done(outcome);
}

/** The proposals in progress, for the state panel. */
function shown() {
  return Object.keys(active).map(function (slot) {
    var p = active[slot];
    return { slot: p.slot, ballot: acceptor.describeBallot(p.ballot), phase: p.phase };
  });
}

function lastBallot() {
  return latest;
}

module.exports = { init: init, start: start, busy: busy, promised: promised, accepted: accepted, refused: refused, decided: decided, shown: shown, lastBallot: lastBallot };
