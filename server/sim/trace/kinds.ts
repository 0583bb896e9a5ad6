// The vocabulary of the trace: event kinds and the codes stored in their `aux` column.
// Numbers are part of the binary trace format: append new kinds, never renumber.
// The kernel and the transport record send, duplicate, deliver, drop, crash, restart, pause, resume and stop;
// node programs add timer, log, note, invoke, complete, start and node-error. The other kinds
// are request-response's own (issue, timeout, enqueue, execute, ...).

export const EV_ISSUE = 0; // a client issues a request; ref = request
export const EV_SEND = 1; // first send of a request message; ref = message, aux = delaying fault or -1
export const EV_RESEND = 2; // a retry: the same request sent again; ref = message, aux = delaying fault or -1
export const EV_RESPOND = 3; // a server sends a response; ref = message, aux = delaying fault or -1
export const EV_DUPLICATE = 4; // the message will arrive twice; ref = message, aux = fault or -1 (network)
export const EV_DELIVER = 5; // a message arrives; ref = message, aux = copy (0 or 1)
export const EV_DROP = 6; // a message is lost; ref = message, aux = reason | copy << 2 | (fault + 1) << 3
export const EV_TIMEOUT = 7; // a client's timer fires with no answer; ref = request, aux = attempt
export const EV_BACKOFF = 8; // the client waits before resending; ref = request, aux = wait in true µs
export const EV_ENQUEUE = 9; // a request waits in the server's queue; ref = request message, aux = queue length
export const EV_PROCESS = 10; // the server starts working on a request; ref = request message, aux = duration µs
export const EV_EXECUTE = 11; // the server executes the operation; ref = request message, aux = result string or -1
export const EV_DEDUPE_HIT = 12; // a repeat answered from the dedupe table; ref = request message, aux = remembered result
export const EV_ACCEPT = 13; // the client accepts a response; ref = message
export const EV_IGNORE = 14; // a late or duplicate response is ignored; ref = message, aux = reason
export const EV_FAIL = 15; // a request failed; ref = request, aux = reason
export const EV_CRASH = 16; // ref = fault
export const EV_RESTART = 17; // ref = fault
export const EV_ABANDON = 18; // a server gives up a request because a downstream call failed; ref = request message, aux = failed call request
export const EV_WITHHOLD = 19; // a silent Byzantine server keeps its answer; ref = request message, aux = fault
export const EV_STOP = 20; // the run stops; aux = stop reason
export const EV_TIMER = 21; // a node's timer fires; ref = timer id, aux = -1
export const EV_LOG = 22; // a node writes a line to its log (stderr); ref = string id of the line
export const EV_NOTE = 23; // a protocol note (role, term, decision, ...); ref = note row
export const EV_INVOKE = 24; // a client invokes a workload operation; ref = operation
export const EV_COMPLETE = 25; // a workload operation ends; ref = operation, aux = outcome (ok, fail, info)
export const EV_START = 26; // a program node starts (at time 0 or after a restart) and is sent init; ref = -1
export const EV_NODE_ERROR = 27; // a program node fails by itself (exception, fuel, memory, bad output); ref = string id of the error JSON
export const EV_PAUSE = 28; // a pause fault starts on the node; ref = fault, aux = its length in µs (-1: to the end of the run)
export const EV_RESUME = 29; // the node's pause ends; ref = fault whose window ended it (-1: every fault ended)

export const EVENT_KINDS = [
  "issue",
  "send",
  "resend",
  "respond",
  "duplicate",
  "deliver",
  "drop",
  "timeout",
  "backoff",
  "enqueue",
  "process",
  "execute",
  "dedupe-hit",
  "accept",
  "ignore",
  "fail",
  "crash",
  "restart",
  "abandon",
  "withhold",
  "stop",
  "timer",
  "log",
  "note",
  "invoke",
  "complete",
  "start",
  "node-error",
  "pause",
  "resume",
] as const;

export type EventKindName = (typeof EVENT_KINDS)[number];

export const DROP_LOSS = 0;
export const DROP_PARTITION = 1;
export const DROP_FAULT = 2;
export const DROP_RECEIVER_DOWN = 3;
export const DROP_REASONS = ["loss", "partition", "fault", "receiver-down"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export const IGNORE_LATE = 0;
export const IGNORE_DUPLICATE = 1;
export const IGNORE_REASONS = ["late", "duplicate"] as const;

export const FAIL_TIMEOUT = 0;
export const FAIL_CLIENT_CRASHED = 1;
export const FAIL_REASONS = ["retries-exhausted", "client-crashed"] as const;

export const STOP_IDLE = 0;
export const STOP_UNTIL = 1;
export const STOP_MAX_EVENTS = 2;
export const STOP_TRACE_LIMIT = 3;
export const STOP_DONE = 4;
/** done: a workload finished (its last operation and final reads ended). */
export const STOP_REASONS = ["idle", "until", "maxEvents", "traceLimit", "done"] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const MSG_REQUEST = 0;
export const MSG_RESPONSE = 1;
export const MESSAGE_TYPES = ["request", "response"] as const;

export const OP_READ = 0;
export const OP_WRITE = 1;
export const OPS = ["read", "write"] as const;

export const BYZ_NONE = -1;
export const BYZ_BEHAVIORS = ["lie", "equivocate", "silent", "replay", "random"] as const;

export const OUTCOME_OK = 0;
export const OUTCOME_FAIL = 1;
export const OUTCOME_INFO = 2;
/** How a workload operation ended: ok (it happened), fail (it did not), info (unknown: timed out). */
export const OUTCOMES = ["ok", "fail", "info"] as const;

/** Node column value for events that belong to no node (the run stop). */
export const NO_NODE = 0xffff;
