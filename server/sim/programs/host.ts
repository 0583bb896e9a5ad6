// The host side of a program node, the same in the sandbox and natively: what the shim's `host`
// calls do to the NodeContext (stdout lines to messages, stderr to log, timers, storage, notes),
// within the per-event and per-node limits, and the first failure of the node's incarnation.

import type { MessageBody, NodeContext, NodeError } from "../nodes/api";
import { PROGRAM_LIMITS } from "./limits";

/** The source of the `init` message each program node gets first; its answer is not sent. */
export const INIT_SOURCE = "faultline";
/** The label of a program's timers in the trace. */
export const TIMER_LABEL = "timer";

/** What the guest shim calls synchronously (see js/shim.js); everything else comes back as effects. */
export interface ShimHost {
  sandboxed: boolean;
  random(): number;
  /** get -> JSON text or undefined; set -> "" or "!reason"; delete -> ""; keys -> JSON array. */
  storage(op: string, key: string, json: string): string | undefined;
  load(name: string): unknown;
  fileNames(): string;
  /** Effects so far, when they grow large during an event. */
  effects(text: string): void;
}

/** The shim's entry points: each takes the node's local time (ms) and returns the effects (see NodeIo.apply). */
export interface ShimApi {
  start(main: string, nowMs: number): string;
  deliver(line: string, nowMs: number): string;
  /** A message: the line {"src": src, "dest": dest, "body": bodyText} in its parts (see js/shim.js). */
  message(src: string, dest: string, bodyText: string, nowMs: number): string;
  fire(id: number, nowMs: number): string;
  flush(): string;
}

export type ShimFactory = (host: ShimHost, realDate: DateConstructor, realMath: Math, globalObject: unknown) => ShimApi;

/** Turns a described guest error into the node's failure (the sandbox maps locations back). */
export type ErrorMapper = (reason: string, error: { name: string; message: string; stack: string }) => NodeError;

const cut = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);

export class NodeIo {
  private ctx: NodeContext | null = null;
  /** The first failure of this incarnation; once set, the node's further effects are ignored. */
  failure: NodeError | null = null;
  /** Pending timers: the guest's id -> the kernel's, and back. */
  private readonly timers = new Map<number, number>();
  private readonly guestTimer = new Map<number, number>();
  private stdoutPartial = "";
  private stderrPartial = "";
  private sent = 0;
  private logChars = 0;
  private logCut = false;
  private storageSizes: Map<string, number> | null = null;
  private storageChars = 0;

  constructor(private readonly mapError: ErrorMapper) {}

  /** Before each event of the node. */
  begin(ctx: NodeContext): void {
    this.ctx = ctx;
    this.sent = 0;
    this.logChars = 0;
    this.logCut = false;
  }

  /** After each event: the partial log line goes out; a failure crashes the node (ctx.fail). */
  end(): NodeError | null {
    if (this.stderrPartial !== "") {
      const line = this.stderrPartial;
      this.stderrPartial = "";
      this.log(line);
    }
    const failure = this.failure;
    if (failure) this.ctx!.fail(failure);
    return failure;
  }

  /** The incarnation is gone (crash): its timers, buffers and failure with it. Storage stays. */
  reset(): void {
    this.timers.clear();
    this.guestTimer.clear();
    this.stdoutPartial = "";
    this.stderrPartial = "";
    this.failure = null;
  }

  fail(error: NodeError): void {
    if (this.failure === null) this.failure = error;
  }

  failWith(reason: string, errorJson: string): void {
    this.fail(this.mapError(reason, parseError(errorJson)));
  }

  /** The guest's id of a timer that fired (and forget it), or -1 when it is not this incarnation's. */
  takeTimer(kernelId: number): number {
    const id = this.guestTimer.get(kernelId);
    if (id === undefined) return -1;
    this.guestTimer.delete(kernelId);
    this.timers.delete(id);
    return id;
  }

  /** The node's local time for the shim's entry points, in ms. */
  nowMs(): number {
    return this.ctx!.localTimeUs() / 1000;
  }

  /** Applies the effects an entry point returned, in order: <kind><length>:<payload>... */
  apply(effects: string): void {
    let at = 0;
    while (at < effects.length) {
      // The length's decimal digits, read in place (the shim writes them as String(length) does).
      let colon = at + 1;
      let length = 0;
      for (let c = effects.charCodeAt(colon); c >= 48 && c <= 57 && colon - at <= 16; c = effects.charCodeAt(++colon)) length = length * 10 + (c - 48);
      if (colon === at + 1 || effects.charCodeAt(colon) !== 58 || colon - at > 16) return this.fail({ reason: "sandbox", message: `unreadable effects from the shim at ${at}` });
      this.effect(effects[at]!, effects.slice(colon + 1, colon + 1 + length));
      at = colon + 1 + length;
    }
  }

  private effect(kind: string, payload: string): void {
    switch (kind) {
      case "o": return this.write(1, payload);
      case "e": return this.write(2, payload);
      case "T": {
        const comma = payload.indexOf(",");
        return this.setTimer(Number(payload.slice(0, comma)), Number(payload.slice(comma + 1)));
      }
      case "C": return this.cancelTimer(Number(payload));
      case "N": return this.note(payload);
      case "X": return this.exit(Number(payload));
      case "U":
      case "E": return this.failWith("exception", payload);
      default: return this.fail({ reason: "sandbox", message: `unknown effect ${kind} from the shim` });
    }
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  // ---------------------------------------------------------------- the shim's effects and calls

  private write(fd: number, text: string): void {
    if (this.failure) return;
    if (fd === 1) this.stdout(text);
    else this.stderr(text);
  }

  private stdout(text: string): void {
    // The common case: one whole line (a message), nothing pending before it.
    if (this.stdoutPartial === "" && text.indexOf("\n") === text.length - 1) return this.line(text.slice(0, -1));
    const all = this.stdoutPartial + text;
    let from = 0;
    for (let nl = all.indexOf("\n"); nl >= 0 && !this.failure; nl = all.indexOf("\n", from)) {
      this.line(all.slice(from, nl));
      from = nl + 1;
    }
    this.stdoutPartial = all.slice(from);
    if (this.stdoutPartial.length > PROGRAM_LIMITS.MAX_OUTPUT_LINE_CHARS) this.outputError(`a line of standard output longer than ${PROGRAM_LIMITS.MAX_OUTPUT_LINE_CHARS} characters`);
  }

  /** One line of standard output: a message {src, dest, body} with a string body.type, or a node error. */
  private line(text: string): void {
    if (text.length > PROGRAM_LIMITS.MAX_OUTPUT_LINE_CHARS) return this.outputError(`a line of standard output longer than ${PROGRAM_LIMITS.MAX_OUTPUT_LINE_CHARS} characters`);
    let msg: unknown = envelope(text);
    if (msg === undefined) try {
      msg = JSON.parse(text);
    } catch {
      return this.outputError(`standard output is not a JSON message: ${cut(JSON.stringify(text))}`);
    }
    const m = msg as { src?: unknown; dest?: unknown; body?: unknown };
    const body = m?.body as { type?: unknown } | undefined;
    if (typeof m !== "object" || m === null || Array.isArray(m) || typeof m.src !== "string" || typeof m.dest !== "string"
      || typeof body !== "object" || body === null || Array.isArray(body) || typeof body.type !== "string") {
      return this.outputError(`standard output is not a message {src, dest, body: {type, ...}}: ${cut(text)}`);
    }
    if (m.dest === INIT_SOURCE) return;
    if (++this.sent > PROGRAM_LIMITS.MAX_MESSAGES_PER_EVENT) return this.outputError(`more than ${PROGRAM_LIMITS.MAX_MESSAGES_PER_EVENT} messages sent in one event`);
    this.ctx!.send(m.dest, body as MessageBody);
  }

  private outputError(message: string): void {
    this.fail({ reason: "output", message });
  }

  private stderr(text: string): void {
    const all = this.stderrPartial + text;
    let from = 0;
    for (let nl = all.indexOf("\n"); nl >= 0; nl = all.indexOf("\n", from)) {
      this.log(all.slice(from, nl));
      from = nl + 1;
    }
    this.stderrPartial = all.slice(from);
    if (this.stderrPartial.length > PROGRAM_LIMITS.MAX_LOG_CHARS_PER_EVENT) {
      this.log(this.stderrPartial);
      this.stderrPartial = "";
    }
  }

  /** A log line within the event's budget; past it, one line saying the rest was cut. */
  private log(line: string): void {
    if (this.logCut) return;
    this.logChars += line.length + 1;
    if (this.logChars > PROGRAM_LIMITS.MAX_LOG_CHARS_PER_EVENT) {
      this.logCut = true;
      this.ctx!.log(`[log cut: more than ${PROGRAM_LIMITS.MAX_LOG_CHARS_PER_EVENT} characters in one event]`);
      return;
    }
    this.ctx!.log(line);
  }

  private setTimer(id: number, delayMs: number): void {
    if (this.failure) return;
    if (this.timers.size >= PROGRAM_LIMITS.MAX_TIMERS_PER_NODE) {
      return this.fail({ reason: "timers", message: `more than ${PROGRAM_LIMITS.MAX_TIMERS_PER_NODE} timers pending` });
    }
    const ms = Number.isFinite(delayMs) && delayMs >= 0 ? delayMs : 1;
    const kernelId = this.ctx!.setTimer(Math.round(ms * 1000), TIMER_LABEL);
    this.timers.set(id, kernelId);
    this.guestTimer.set(kernelId, id);
  }

  private cancelTimer(id: number): void {
    const kernelId = this.timers.get(id);
    if (this.failure || kernelId === undefined) return;
    this.timers.delete(id);
    this.guestTimer.delete(kernelId);
    this.ctx!.cancelTimer(kernelId);
  }

  random(): number {
    return this.ctx!.random();
  }

  private exit(code: number): void {
    this.fail({ reason: "exit", message: `process.exit(${Number.isFinite(code) ? code : 0})` });
  }

  /** A note: JSON [name, fields]; fields that are not an object become { value }. */
  private note(json: string): void {
    if (this.failure) return;
    let name = "note";
    let fields: unknown = {};
    try {
      const parsed = JSON.parse(json) as unknown[];
      name = String(parsed[0]);
      fields = parsed[1];
    } catch {
      // The shim wrote it; unreadable means a value JSON cannot hold. Keep the note, empty.
    }
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) fields = { value: fields };
    this.logChars += json.length;
    if (this.logChars > PROGRAM_LIMITS.MAX_LOG_CHARS_PER_EVENT) return this.log("");
    this.ctx!.note(name, fields as Record<string, unknown>);
  }

  storage(op: string, key: string, json: string): string | undefined {
    const store = this.ctx!.storage;
    if (op === "get") {
      const v = store.get(key);
      return v === undefined ? undefined : JSON.stringify(v);
    }
    if (op === "keys") return JSON.stringify(store.keys());
    if (this.failure) return "";
    const sizes = this.sizes();
    const old = sizes.get(key) ?? 0;
    if (op === "delete") {
      store.delete(key);
      sizes.delete(key);
      this.storageChars -= old;
      return "";
    }
    const size = key.length + json.length;
    if (this.storageChars - old + size > PROGRAM_LIMITS.MAX_STORAGE_CHARS_PER_NODE) {
      return `!storage full: at most ${PROGRAM_LIMITS.MAX_STORAGE_CHARS_PER_NODE} characters of keys and values per node`;
    }
    store.set(key, JSON.parse(json));
    sizes.set(key, size);
    this.storageChars += size - old;
    return "";
  }

  private sizes(): Map<string, number> {
    if (this.storageSizes) return this.storageSizes;
    const store = this.ctx!.storage;
    this.storageSizes = new Map(store.keys().map((k) => [k, k.length + JSON.stringify(store.get(k)).length]));
    for (const size of this.storageSizes.values()) this.storageChars += size;
    return this.storageSizes;
  }
}

const SRC = '{"src":"';
const DEST = '","dest":"';
const BODY = '","body":';

/**
 * What JSON.parse(text) gives for a line as the library writes it, {"src":"<id>","dest":"<id>","body":<JSON>},
 * with ids that need no escape: only the body is parsed. Anything else (spaces, escapes, other
 * keys, a body that is not one JSON value) is undefined, and the caller parses the whole line.
 * When the body's text parses alone, the line is exactly those three keys, so the result is the same.
 */
function envelope(text: string): { src: string; dest: string; body: unknown } | undefined {
  if (!text.startsWith(SRC) || text.charCodeAt(text.length - 1) !== 125) return undefined;
  const srcEnd = plainIdEnd(text, SRC.length);
  if (srcEnd < 0 || !text.startsWith(DEST, srcEnd)) return undefined;
  const destStart = srcEnd + DEST.length;
  const destEnd = plainIdEnd(text, destStart);
  if (destEnd < 0 || !text.startsWith(BODY, destEnd)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text.slice(destEnd + BODY.length, -1));
  } catch {
    return undefined;
  }
  return { src: text.slice(SRC.length, srcEnd), dest: text.slice(destStart, destEnd), body };
}

/** Where the JSON string's text starting at `from` ends (its closing quote), or -1 when it has an escape or a control character. */
function plainIdEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) return i;
    if (c === 92 || c < 32) return -1;
  }
  return -1;
}

function parseError(json: string): { name: string; message: string; stack: string } {
  try {
    const e = JSON.parse(json) as { name?: unknown; message?: unknown; stack?: unknown };
    return { name: String(e.name ?? ""), message: String(e.message ?? ""), stack: String(e.stack ?? "") };
  } catch {
    return { name: "", message: "uncaught exception", stack: "" };
  }
}
