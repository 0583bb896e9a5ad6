// The host side of a program node, the same in the sandbox and natively: what the shim's `host`
// calls do to the NodeContext (stdout lines to messages, stderr to log, timers, storage, notes),
// within the per-event and per-node limits, and the first failure of the node's incarnation.

import type { MessageBody, NodeContext, NodeError } from "../nodes/api";
import { PROGRAM_LIMITS } from "./limits";

/** The source of the `init` message each program node gets first; its answer is not sent. */
export const INIT_SOURCE = "faultline";
/** The label of a program's timers in the trace. */
export const TIMER_LABEL = "timer";

/** What the guest shim calls (see js/shim.js). */
export interface ShimHost {
  sandboxed: boolean;
  write(fd: number, text: string): void;
  setTimer(delayMs: number): number;
  cancelTimer(id: number): void;
  now(): number;
  random(): number;
  /** get -> JSON text or undefined; set -> "" or "!reason"; delete -> ""; keys -> JSON array. */
  storage(op: string, key: string, json: string): string | undefined;
  note(name: string, json: string): void;
  load(name: string): unknown;
  fileNames(): string;
  exit(code: number): void;
  uncaught(errorJson: string): void;
}

/** What the shim returns: each entry point gives "" or the uncaught error as JSON. */
export interface ShimApi {
  start(main: string): string;
  deliver(line: string): string;
  fire(id: number): string;
}

export type ShimFactory = (host: ShimHost, realDate: DateConstructor, realMath: Math, globalObject: unknown) => ShimApi;

/** Turns a described guest error into the node's failure (the sandbox maps locations back). */
export type ErrorMapper = (reason: string, error: { name: string; message: string; stack: string }) => NodeError;

const cut = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);

export class NodeIo {
  private ctx: NodeContext | null = null;
  /** The first failure of this incarnation; once set, the node's further effects are ignored. */
  failure: NodeError | null = null;
  private readonly timers = new Set<number>();
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

  /** Whether the timer that fired is one of this incarnation's (and forget it). */
  takeTimer(id: number): boolean {
    return this.timers.delete(id);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  // ---------------------------------------------------------------- the shim's calls

  write(fd: number, text: string): void {
    if (this.failure) return;
    if (fd === 1) this.stdout(text);
    else this.stderr(text);
  }

  private stdout(text: string): void {
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
    let msg: unknown;
    try {
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

  setTimer(delayMs: number): number {
    if (this.failure) return -1;
    if (this.timers.size >= PROGRAM_LIMITS.MAX_TIMERS_PER_NODE) {
      this.fail({ reason: "timers", message: `more than ${PROGRAM_LIMITS.MAX_TIMERS_PER_NODE} timers pending` });
      return -1;
    }
    const ms = Number.isFinite(delayMs) && delayMs >= 0 ? delayMs : 1;
    const id = this.ctx!.setTimer(Math.round(ms * 1000), TIMER_LABEL);
    this.timers.add(id);
    return id;
  }

  cancelTimer(id: number): void {
    if (this.failure || !this.timers.delete(id)) return;
    this.ctx!.cancelTimer(id);
  }

  now(): number {
    return this.ctx!.localTimeUs() / 1000;
  }

  random(): number {
    return this.ctx!.random();
  }

  exit(code: number): void {
    this.fail({ reason: "exit", message: `process.exit(${Number.isFinite(code) ? code : 0})` });
  }

  note(name: string, json: string): void {
    if (this.failure) return;
    let fields: unknown;
    try {
      fields = JSON.parse(json);
    } catch {
      fields = {};
    }
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) fields = { value: fields };
    this.logChars += name.length + json.length;
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

function parseError(json: string): { name: string; message: string; stack: string } {
  try {
    const e = JSON.parse(json) as { name?: unknown; message?: unknown; stack?: unknown };
    return { name: String(e.name ?? ""), message: String(e.message ?? ""), stack: String(e.stack ?? "") };
  } catch {
    return { name: "", message: "uncaught exception", stack: "" };
  }
}
