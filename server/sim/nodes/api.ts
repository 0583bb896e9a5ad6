// The node API: what every node of a run of nodes is (a state machine driven by events, as in
// Stateright's Actor) and what it may do while handling one (send, timers, durable storage,
// random, log, notes), as in Maelstrom's node library. Programs, services and clients implement it.

/** A message body: a JSON object with a `type` (Maelstrom's wire protocol). */
export type MessageBody = { type: string; msg_id?: number; in_reply_to?: number } & Record<string, unknown>;

/** What a node can do while it handles an event. Everything it does happens at the event's instant. */
export interface NodeContext {
  /** This node's id. */
  readonly id: string;
  /** This node's local clock, in microseconds (skewed and drifting under a clock fault). */
  localTimeUs(): number;
  /** Sends a message; its fate (loss, delay, ...) is decided now by the transport. */
  send(dest: string, body: MessageBody): void;
  /** Sets a timer `delayUs` of this node's local clock from now; returns its id. A crash cancels it. */
  setTimer(delayUs: number, label: string): number;
  cancelTimer(id: number): void;
  /** Storage that survives crashes: JSON-serialisable values by key. */
  readonly storage: DurableStorage;
  /** A uniform draw in [0, 1) from this node's own random stream. */
  random(): number;
  /** A line of the node's log (its standard error), kept in the trace. */
  log(line: string): void;
  /** A protocol note for the trace and the run page: role, term, vote, commit index, decision... */
  note(name: string, fields: Record<string, unknown>): void;
  /** The node fails by itself (an exception, fuel or memory exhausted, bad output): it crashes with this reason. */
  fail(error: NodeError): void;
}

export interface NodeError {
  /** "exception", "fuel", "memory", "output", "timeout", "stack" */
  reason: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface DurableStorage {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  keys(): string[];
}

/**
 * A node: started at time 0 and after every restart with a fresh state (a crash discards
 * everything but durable storage), then called for each message that reaches it and each of its
 * timers that fires.
 */
export interface NodeBehavior {
  start(ctx: NodeContext): void;
  /** `bodyText`, when given, is JSON.stringify(body), already made when the message was sent. */
  receive(ctx: NodeContext, src: string, body: MessageBody, bodyText?: string): void;
  timer(ctx: NodeContext, id: number, label: string): void;
  /** The node crashed: drop whatever the behavior holds (its next start is a fresh one). */
  crashed?(): void;
}

/** Maelstrom's error codes. Definite errors mean the operation did not happen. */
export const ERROR_CODES = {
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
} as const;

/** Codes after which the operation certainly did not take effect. */
export const DEFINITE_ERROR_CODES: ReadonlySet<number> = new Set([1, 10, 11, 12, 14, 20, 21, 22, 30]);
