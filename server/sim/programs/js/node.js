// Faultline's node library, with the API of Maelstrom's JavaScript demo library: handlers by
// message type, send/reply, RPCs with promises or callbacks, init handled, error replies by code.
// It is built in (require('maelstrom'), or require('./node') when the program has no such file).
"use strict";

var readline = require("readline");

/** Maelstrom's error codes. */
var codes = {
  timeout: 0,
  nodeNotFound: 1,
  notSupported: 10,
  temporarilyUnavailable: 11,
  malformedRequest: 12,
  crash: 13,
  abort: 14,
  keyDoesNotExist: 20,
  keyAlreadyExists: 21,
  preconditionFailed: 22,
  txnConflict: 30,
};

var self = null; // this node's id, once init has arrived
var peers = []; // every program node's id, this one included
var msgCounter = 0;
var rpcTimeoutMs = 1000;
var handlers = Object.create(null);
var pending = new Map(); // msg_id of an RPC we sent -> { done, timer }
var started = false;

function nodeId() {
  return self;
}

function nodeIds() {
  return peers;
}

function newMsgId() {
  return msgCounter++;
}

function send(dest, body) {
  process.stdout.write(messageText(dest, body) + "\n");
}

// JSON.stringify({ src: self, dest: dest, body: body }), built from the body's JSON when nothing
// could tell the two apart (no toJSON to call with another key): the interpreter's JSON.stringify
// costs per object and per property, and a message is sent for most events.
function messageText(dest, body) {
  if (body === null || typeof body !== "object" || "toJSON" in body || !simpleEnvelope(dest)) {
    return JSON.stringify({ src: self, dest: dest, body: body });
  }
  return envelopeStart() + quoted(dest) + ',"body":' + JSON.stringify(body) + "}";
}

// {src: self, dest: dest, body} stringifies as its parts do.
function simpleEnvelope(dest) {
  return typeof self === "string" && typeof dest === "string" && !("toJSON" in Object.prototype);
}

// An object whose JSON is that of its own enumerable properties, as Object.assign copies them.
function plainBody(body) {
  if (body === null || typeof body !== "object" || "toJSON" in body) return false;
  var proto = Object.getPrototypeOf(body);
  return proto === Object.prototype || proto === null;
}

// '{"src":<self>,"dest":', made once per node id.
var envelopeFor = null;
var envelopeText = "";
function envelopeStart() {
  if (envelopeFor !== self) {
    envelopeFor = self;
    envelopeText = '{"src":' + quoted(self) + ',"dest":';
  }
  return envelopeText;
}

// Node ids as JSON strings (a node talks to few peers; the cache stops growing at QUOTED_MAX).
var quotedCache = Object.create(null);
var quotedCount = 0;
var QUOTED_MAX = 1024;
function quoted(s) {
  var q = quotedCache[s];
  if (q !== undefined) return q;
  q = JSON.stringify(s);
  if (quotedCount < QUOTED_MAX) {
    quotedCache[s] = q;
    quotedCount++;
  }
  return q;
}

function reply(req, body) {
  var id = req && req.body ? req.body.msg_id : undefined;
  if (id === undefined || id === null) {
    throw error(codes.crash, "cannot reply to a message without msg_id: " + JSON.stringify(req));
  }
  sendWith(req.src, body, "in_reply_to", id);
}

// send(dest, Object.assign({}, body, { [key]: id })). For a plain object without that key or
// toJSON and a finite numeric id, the copy's JSON is body's with the key last: made without the copy.
function sendWith(dest, body, key, id) {
  if (typeof id === "number" && id - id === 0 && plainBody(body) && !(key in body) && simpleEnvelope(dest)) {
    var json = JSON.stringify(body);
    var start = envelopeStart() + quoted(dest) + ',"body":';
    var field = key === "msg_id" ? '"msg_id":' : '"in_reply_to":';
    process.stdout.write(json === "{}" ? start + "{" + field + id + "}}\n" : start + json.slice(0, -1) + "," + field + id + "}}\n");
    return;
  }
  send(dest, Object.assign({}, body, key === "msg_id" ? { msg_id: id } : { in_reply_to: id }));
}

/** An error that a handler may throw: the request is answered with this code and text. */
function error(code, text) {
  return { type: "error", code: code, text: text === undefined ? "" : String(text) };
}

/** How long an RPC waits for its reply by default. */
function setRPCTimeout(ms) {
  rpcTimeoutMs = Number(ms);
}

// An RPC: sends `body` with a fresh msg_id and waits for the message whose in_reply_to names it.
// With a callback, done(err, replyBody) is called once (err is an error body, code 0 on timeout)
// and no promise is used, so the same program also runs natively. Without one, a promise.
function rpc(dest, body, callback, timeoutMs) {
  if (typeof callback === "function") {
    rpcWithCallback(dest, body, callback, timeoutMs);
    return undefined;
  }
  return new Promise(function (resolve, reject) {
    rpcWithCallback(dest, body, function (err, res) {
      if (err) reject(err);
      else resolve(res);
    }, timeoutMs);
  });
}

function rpcWithCallback(dest, body, done, timeoutMs) {
  var id = newMsgId();
  var wait = timeoutMs === undefined ? rpcTimeoutMs : Number(timeoutMs);
  var timer = setTimeout(function () {
    pending.delete(id);
    done({ type: "error", in_reply_to: id, code: codes.timeout, text: "RPC request timed out" });
  }, wait);
  pending.set(id, { done: done, timer: timer });
  sendWith(dest, body, "msg_id", id);
}

// Retries an RPC until it gets a reply that is not an error (forever, as Maelstrom's does).
function retryRPC(dest, body, callback, timeoutMs) {
  if (typeof callback === "function") {
    var attempt = function () {
      rpcWithCallback(dest, body, function (err, res) {
        if (err) attempt();
        else callback(null, res);
      }, timeoutMs);
    };
    attempt();
    return undefined;
  }
  return rpc(dest, body, undefined, timeoutMs).catch(function () {
    return retryRPC(dest, body, undefined, timeoutMs);
  });
}

/** Registers the handler of a message type; handler(req) may return a promise. */
function on(type, handler) {
  handlers[type] = handler;
}

function replyError(req, err) {
  if (!req.body || req.body.msg_id === undefined) return;
  if (err && typeof err === "object" && typeof err.code === "number") {
    reply(req, Object.assign({}, err, { type: "error" }));
  } else {
    reply(req, { type: "error", code: codes.crash, text: String(err) });
  }
}

function handleReply(body) {
  var waiting = pending.get(body.in_reply_to);
  if (waiting === undefined) return; // late, or a duplicate
  pending.delete(body.in_reply_to);
  clearTimeout(waiting.timer);
  if (body.type === "error") waiting.done(body);
  else waiting.done(null, body);
}

function handleInit(req) {
  self = req.body.node_id;
  peers = req.body.node_ids;
  var custom = handlers.init;
  if (custom) custom(req);
  reply(req, { type: "init_ok" });
}

function dispatch(req) {
  var body = req.body;
  if (body.in_reply_to !== undefined && body.in_reply_to !== null) return handleReply(body);
  if (body.type === "init") return handleInit(req);
  var handler = handlers[body.type];
  if (handler === undefined) {
    replyError(req, error(codes.notSupported, "unsupported request type " + body.type));
    return;
  }
  var result = handler(req);
  if (result && typeof result.then === "function") {
    result.then(undefined, function (err) {
      if (fatal(err)) {
        queueMicrotask(function () {
          throw err;
        });
        return;
      }
      console.warn("error handling", body.type, err);
      replyError(req, err);
    });
  }
}

// The interpreter's own errors (out of memory, stack overflow) are not the request's: they crash the node.
function fatal(err) {
  return err !== null && typeof err === "object" && err.name === "InternalError";
}

function handle(line) {
  var req;
  try {
    req = JSON.parse(line);
  } catch (_e) {
    console.warn("not a message:", line);
    return;
  }
  handleRequest(req);
}

// What handle does with the line {"src": src, "dest": dest, "body": bodyText}, called by the
// runtime's shim without making the line (bodyText is the JSON of a message body, always valid).
handle.message = function (src, dest, bodyText) {
  handleRequest({ src: src, dest: dest, body: JSON.parse(bodyText) });
};

function handleRequest(req) {
  try {
    dispatch(req);
  } catch (err) {
    if (fatal(err)) throw err;
    console.warn("error handling", req.body && req.body.type, err);
    replyError(req, err);
  }
}

/** Starts reading messages. */
function main() {
  if (started) return;
  started = true;
  readline.createInterface({ input: process.stdin, terminal: false }).on("line", handle);
}

module.exports = {
  nodeId: nodeId,
  nodeIds: nodeIds,
  newMsgId: newMsgId,
  send: send,
  reply: reply,
  rpc: rpc,
  retryRPC: retryRPC,
  on: on,
  main: main,
  error: error,
  codes: codes,
  setRPCTimeout: setRPCTimeout,
};
