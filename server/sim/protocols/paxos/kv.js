// The key-value state machine a replicated log drives for the lin-kv workload (read, write, cas),
// with a session per client so that a command in the log twice (a duplicated request) acts once.
// (raft/kv.js and paxos/kv.js are the same file, so that each protocol forks into a program on its own.)
"use strict";

var codes = require("maelstrom").codes;

/** A client command as the log carries it, from a lin-kv request ({ type, key, value, from, to, msg_id }). */
function command(client, body) {
  var cmd = { type: body.type, key: body.key, client: client, msgId: body.msg_id };
  if (body.type === "write") cmd.value = body.value;
  if (body.type === "cas") {
    cmd.from = body.from;
    cmd.to = body.to;
  }
  return cmd;
}

/** The id that names a client command wherever it is copied: "<client>:<msg_id>". */
function commandId(cmd) {
  return cmd.client + ":" + cmd.msgId;
}

/** An empty store: values by key, and each client's last applied command with its answer. */
function create() {
  return { data: Object.create(null), sessions: Object.create(null) };
}

/** The answer a command gets on the store as it is: a reply body without in_reply_to. */
function execute(data, cmd) {
  var has = Object.prototype.hasOwnProperty.call(data, cmd.key);
  if (cmd.type === "read") return has ? { type: "read_ok", value: data[cmd.key] } : { type: "error", code: codes.keyDoesNotExist, text: "key does not exist" };
  if (cmd.type === "write") {
    data[cmd.key] = cmd.value;
    return { type: "write_ok" };
  }
  if (!has) return { type: "error", code: codes.keyDoesNotExist, text: "key does not exist" };
  if (data[cmd.key] !== cmd.from) return { type: "error", code: codes.preconditionFailed, text: "expected " + cmd.from + ", found " + data[cmd.key] };
  data[cmd.key] = cmd.to;
  return { type: "cas_ok" };
}

/**
 * Applies a command and returns its answer. A client has one request outstanding at a time and
 * numbers them upwards, so a command no newer than the client's last applied one is a copy: the
 * same one gets the remembered answer again, an older one (its client gave up on it) is skipped
 * and gets null.
 */
function apply(machine, cmd) {
  var session = machine.sessions[cmd.client];
  if (session !== undefined && cmd.msgId <= session.msgId) return cmd.msgId === session.msgId ? session.reply : null;
  var reply = execute(machine.data, cmd);
  machine.sessions[cmd.client] = { msgId: cmd.msgId, reply: reply };
  return reply;
}

/** A command in a few characters, for the run page's state panel: "write 1=3", "cas 0 2→4", "read 2". */
function describe(cmd) {
  if (cmd.type === "write") return "write " + cmd.key + "=" + cmd.value;
  if (cmd.type === "cas") return "cas " + cmd.key + " " + cmd.from + "→" + cmd.to;
  if (cmd.type === "read") return "read " + cmd.key;
  return cmd.type;
}

module.exports = { command: command, commandId: commandId, create: create, apply: apply, describe: describe };
