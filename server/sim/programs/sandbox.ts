// A program node in a QuickJS sandbox: each node its own interpreter module (memory capped), a
// fresh runtime and context per incarnation, fuel counted by interrupt polls, effects via NodeIo.

import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core";
import type { MessageBody, NodeBehavior, NodeContext, NodeError } from "../nodes/api";
import type { CustomProtocol } from "../scenario/types";
import { files as builtins } from "./generated/builtins";
import { FastCaller } from "./fast-call";
import { NodeIo } from "./host";
import { FUEL_TICKS_PER_POLL, PROGRAM_LIMITS, memoryPages } from "./limits";
import type { ProgramRuntime, SandboxModule } from "./loader";
import { initLine } from "./native";
import { compileFile, LIBRARY_FILE, ProgramSyntaxError, programError, SHIM_FILE, WRAPPER_PREFIX, WRAPPER_SUFFIX, type CompiledFile } from "./source";

/** Evaluates the shim as a CommonJS module and returns (host) => its entry points. */
const SHIM_BOOT =
  "(function (host) { var module = { exports: {} }; " +
  WRAPPER_PREFIX + builtins["shim.js"]!.source + WRAPPER_SUFFIX +
  '(module.exports, undefined, module, "/shim.js", "/", undefined, undefined, undefined, undefined, undefined, undefined, undefined, Date, Math);' +
  " return module.exports(host, Date, Math, globalThis); })";

type GuestError = { name: string; message: string; stack: string };

/**
 * An interpreter's memory right after the shim booted in a fresh module, before any program code
 * ran: the run's other fresh modules start from a copy instead of parsing and running the shim
 * again (about 4 ms a node, 12 ms in a cold process). Booting is deterministic and depends on
 * nothing of the node (only the program's file names), so the copy is the memory the node would
 * have made itself; the one word that differs between two fresh interpreters is QuickJS's own
 * Math.random seed, which the shim replaces before any program runs.
 */
interface BootImage {
  /** The memory's size when the image was taken (modules of another size boot themselves). */
  memoryBytes: number;
  /**
   * The memory's pages (4 KiB) that were not all zero before or after booting, as runs
   * [start, end) of byte offsets, and their bytes after booting, one run after another. Every
   * other page is zero in both, as it is in the fresh module (most of the 5 MiB stack, the heap's
   * unused top).
   */
  runs: number[];
  bytes: Uint8Array;
  /** The entry points' value pointers: start, deliver, message, fire, flush. */
  entries: number[];
  /** Interrupt polls the boot took (they count against the first event's fuel). */
  polls: number;
  /** The id of the first host function reference (the next ones follow). */
  firstRef: number;
}

/** The parts of quickjs-emscripten's runtime and context a restored boot rebuilds (present at run time, not in its public types). */
interface HostRefs {
  nextId: number;
  freelist: unknown[];
  put(value: unknown): number;
}
const hostRefsOf = (rt: QuickJSRuntime) => (rt as unknown as { hostRefs?: HostRefs }).hostRefs;
const contextMemory = (ctx: QuickJSContext) => (ctx as unknown as { memory?: { heapValueHandle?(p: number): QuickJSHandle } }).memory;

const PAGE_WORDS = 1024;

/** Per 4 KiB page of `memory`: 1 when a byte of it is not zero. */
function usedPages(memory: WebAssembly.Memory): Uint8Array {
  const words = new Int32Array(memory.buffer);
  const pages = new Uint8Array(Math.ceil(words.length / PAGE_WORDS));
  for (let p = 0; p < pages.length; p++) {
    const end = Math.min(words.length, (p + 1) * PAGE_WORDS);
    let i = p * PAGE_WORDS;
    // Eight words at a time (most pages are all zero and are read to their end).
    for (; i + 8 <= end; i += 8) {
      if ((words[i]! | words[i + 1]! | words[i + 2]! | words[i + 3]! | words[i + 4]! | words[i + 5]! | words[i + 6]! | words[i + 7]!) !== 0) {
        pages[p] = 1;
        break;
      }
    }
    for (; pages[p] === 0 && i < end; i++) if (words[i] !== 0) pages[p] = 1;
  }
  return pages;
}

/** The runs of pages used before or after booting, and the memory's bytes in them. */
function bootRuns(memory: WebAssembly.Memory, before: Uint8Array): { runs: number[]; bytes: Uint8Array } {
  const after = usedPages(memory);
  const runs: number[] = [];
  let total = 0;
  for (let p = 0; p < after.length; p++) {
    if (!after[p] && !before[p]) continue;
    const start = p;
    while (p + 1 < after.length && (after[p + 1] || before[p + 1])) p++;
    runs.push(start * PAGE_WORDS * 4, (p + 1) * PAGE_WORDS * 4);
    total += (p + 1 - start) * PAGE_WORDS * 4;
  }
  const heap = new Uint8Array(memory.buffer);
  const bytes = new Uint8Array(total);
  for (let r = 0, at = 0; r < runs.length; r += 2) {
    bytes.set(heap.subarray(runs[r]!, runs[r + 1]!), at);
    at += runs[r + 1]! - runs[r]!;
  }
  return { runs, bytes };
}

/** A program's files, compiled once per run and shared by its nodes. */
class ProgramImage {
  readonly namesJson: string;
  /** Compiled so far, by name (what error locations are mapped with). */
  readonly compiled = new Map<string, CompiledFile>();
  /** The first fresh node's booted memory (null: it could not be taken; undefined: not yet). */
  boot: BootImage | null | undefined = undefined;

  constructor(readonly protocol: CustomProtocol) {
    this.namesJson = JSON.stringify(Object.keys(protocol.files));
  }

  file(name: string): CompiledFile | undefined {
    let file = this.compiled.get(name);
    if (file) return file;
    const text = name === LIBRARY_FILE ? builtins["node.js"]!.source : this.protocol.files[name];
    if (text === undefined) return undefined;
    file = compileFile(name, text);
    this.compiled.set(name, file);
    return file;
  }
}

interface Vm {
  rt: QuickJSRuntime;
  ctx: QuickJSContext;
  start: QuickJSHandle;
  deliver: QuickJSHandle;
  message: QuickJSHandle;
  fire: QuickJSHandle;
  flush: QuickJSHandle;
  /** Calls the entry points (start, deliver, message, fire) without quickjs-emscripten's per-call handles. */
  caller: FastCaller | null;
}

/** One behavior per program node (call once per node); `runtime.prepare` must have run for this run. */
export function programBehavior(runtime: ProgramRuntime, protocol: CustomProtocol, programNodeIds: readonly string[]): () => NodeBehavior {
  const image = new ProgramImage(protocol);
  const pages = memoryPages(protocol.limits.memoryBytes);
  const fuel = Math.min(PROGRAM_LIMITS.MAX_FUEL, Math.max(PROGRAM_LIMITS.MIN_FUEL, protocol.limits.fuel));
  const ids = [...programNodeIds];
  return () => new SandboxNode(image, runtime.take(pages), fuel, ids);
}

class SandboxNode implements NodeBehavior {
  private readonly io: NodeIo;
  private vm: Vm | null = null;
  private polls = 0;
  private fuelOut = false;
  /** While the host collects the effects of an interrupted event, polls do not interrupt. */
  private collecting = false;

  constructor(
    private readonly image: ProgramImage,
    private readonly module: SandboxModule,
    private readonly fuel: number,
    private readonly ids: string[],
  ) {
    this.io = new NodeIo((reason, e) => this.failureOf(reason, e));
  }

  start(ctx: NodeContext): void {
    this.event(ctx, () => {
      if (this.module.broken) {
        this.io.fail({ reason: "sandbox", message: "the node's interpreter failed earlier in this run and cannot start again" });
        return;
      }
      this.module.outOfMemory = false;
      this.vm = this.createVm();
      if (this.io.failure) return;
      this.enter(this.vm.start, this.image.protocol.main);
      if (!this.io.failure) this.runJobs();
      if (!this.io.failure) this.enter(this.vm.deliver, initLine(ctx.id, this.ids));
    });
  }

  receive(ctx: NodeContext, src: string, body: MessageBody, bodyText?: string): void {
    const vm = this.vm;
    if (!vm) return;
    // The body's JSON text, when the runtime kept it, is what JSON.stringify(body) gives. The shim
    // makes the line {"src":…,"dest":…,"body":…} of the three parts only for a program that reads it.
    const parts = [src, ctx.id, bodyText ?? JSON.stringify(body)];
    this.event(ctx, () => this.enter(vm.message, parts, 2));
  }

  timer(ctx: NodeContext, kernelId: number): void {
    const vm = this.vm;
    const id = vm ? this.io.takeTimer(kernelId) : -1;
    if (vm && id >= 0) this.event(ctx, () => this.enter(vm.fire, id));
  }

  crashed(): void {
    const vm = this.vm;
    this.vm = null;
    this.io.reset();
    if (vm && !this.module.broken) this.dispose(vm);
  }

  // ---------------------------------------------------------------- one event

  /** Runs one event of the node: the call, then every pending job; a failure crashes the node. */
  private event(ctx: NodeContext, call: () => void): void {
    this.io.begin(ctx);
    this.polls = 0;
    this.fuelOut = false;
    try {
      call();
      if (!this.io.failure) this.runJobs();
    } catch (e) {
      this.hostFailure(e);
    }
    this.checkLimits();
    this.io.end();
  }

  /** A limit reached where no exception said so (caught by the program, or inside a promise job). */
  private checkLimits(): void {
    if (this.module.outOfMemory) this.io.fail({ reason: "memory", message: `out of memory: the node's memory reached its limit of ${this.module.memory.buffer.byteLength} bytes` });
    if (this.fuelOut) this.io.fail({ reason: "fuel", message: `fuel exhausted: more than ${this.fuel} ticks in one event` });
  }

  /** Calls an entry point of the shim at the node's local time and applies the effects it returns. */
  private enter(fn: QuickJSHandle, arg: string | number | readonly string[], ids = 0): void {
    const { ctx, caller } = this.vm!;
    if (caller) {
      const now = this.io.nowMs();
      const r = typeof arg === "number" ? caller.callNumbers(fn, arg, now) : typeof arg === "string" ? caller.call(fn, arg, now) : caller.callWith(fn, arg, now, ids);
      if (r.error) return this.entryFailed(ctx, r.error);
      return this.io.apply(r.value);
    }
    const args = typeof arg === "number" ? [ctx.newNumber(arg)] : typeof arg === "string" ? [ctx.newString(arg)] : arg.map((a) => ctx.newString(a));
    args.push(ctx.newNumber(this.io.nowMs()));
    const r = ctx.callFunction(fn, ctx.undefined, ...args);
    for (const h of args) h.dispose();
    if (r.error) return this.entryFailed(ctx, r.error);
    this.io.apply(this.text(r.value));
  }

  /** Uncatchable (the fuel interrupt, out of memory): what the program did before it still counts. */
  private entryFailed(ctx: QuickJSContext, error: QuickJSHandle): void {
    const failure = this.failureOf("exception", this.readError(ctx, error));
    error.dispose();
    this.flush();
    this.io.fail(failure);
  }

  /** The effects the program's promise jobs had, after the entry point returned. */
  private flush(): void {
    const { ctx, flush } = this.vm!;
    this.collecting = true;
    const r = ctx.callFunction(flush, ctx.undefined);
    this.collecting = false;
    if (r.error) r.error.dispose();
    else this.io.apply(this.text(r.value));
  }

  private text(handle: QuickJSHandle): string {
    const ctx = this.vm!.ctx;
    const text = ctx.typeof(handle) === "string" ? ctx.getString(handle) : "";
    handle.dispose();
    return text;
  }

  private runJobs(): void {
    const { rt, ctx } = this.vm!;
    while (!this.io.failure && rt.hasPendingJob()) {
      const r = rt.executePendingJobs(-1);
      const failure = r.error ? this.failureOf("exception", this.readError(ctx, r.error)) : null;
      r.dispose();
      this.flush();
      if (failure) this.io.fail(failure);
    }
  }

  private interrupt = (): boolean => {
    this.polls++;
    if (this.collecting) return false;
    if (this.io.failure !== null) return true;
    if (this.polls * FUEL_TICKS_PER_POLL <= this.fuel) return false;
    this.fuelOut = true;
    return true;
  };

  // ---------------------------------------------------------------- failures

  /** The node's failure for a guest error: the reason from what happened, the location mapped back. */
  private failureOf(reason: string, e: GuestError): NodeError {
    let why = reason;
    if (this.module.outOfMemory || e.message === "out of memory") why = "memory";
    else if (this.fuelOut) why = "fuel";
    else if (e.message === "stack overflow") why = "stack";
    const error = programError(why, e, this.image.compiled);
    if (why === "fuel") error.message = `fuel exhausted: more than ${this.fuel} ticks in one event`;
    return error;
  }

  /** An error value thrown out of the guest (uncatchable ones, like the fuel interrupt, get here). */
  private readError(ctx: QuickJSContext, handle: QuickJSHandle): GuestError {
    const prop = (key: string) => {
      const h = ctx.getProp(handle, key);
      const v = ctx.typeof(h) === "string" ? ctx.getString(h) : "";
      h.dispose();
      return v;
    };
    if (ctx.typeof(handle) !== "object") return { name: "", message: "uncaught exception", stack: "" };
    return { name: prop("name"), message: prop("message"), stack: prop("stack") };
  }

  /** The interpreter itself threw (a trap, the host's stack): the module is not used again. */
  private hostFailure(e: unknown): void {
    this.module.broken = true;
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    if (this.module.outOfMemory) this.io.fail({ reason: "memory", message: `out of memory (${message})` });
    else if (e instanceof RangeError) this.io.fail({ reason: "stack", message: `stack overflow (${message})` });
    else this.io.fail({ reason: "sandbox", message });
  }

  // ---------------------------------------------------------------- the interpreter

  private createVm(): Vm {
    const fresh = !this.module.used;
    this.module.used = true;
    const rt = this.module.qjs.newRuntime();
    rt.setMaxStackSize(PROGRAM_LIMITS.STACK_BYTES);
    rt.setInterruptHandler(this.interrupt);
    const ctx = rt.newContext();
    const vm: Vm = { rt, ctx, start: ctx.undefined, deliver: ctx.undefined, message: ctx.undefined, fire: ctx.undefined, flush: ctx.undefined, caller: null };
    const image = this.image;
    if (fresh && image.boot && this.restore(vm, image.boot)) return vm;
    // The first fresh node of the run takes the image the others start from.
    const memory = this.module.memory;
    const take = fresh && image.boot === undefined;
    const before = take ? usedPages(memory) : null;
    const memoryBytes = memory.buffer.byteLength;
    const firstRef = hostRefsOf(rt)?.nextId;
    if (take) image.boot = null;
    const boot = ctx.evalCode(SHIM_BOOT, SHIM_FILE);
    if (boot.error) {
      this.io.fail(this.failureOf("sandbox", this.readError(ctx, boot.error)));
      boot.error.dispose();
      return vm;
    }
    const host = this.hostObject(ctx);
    const api = ctx.callFunction(boot.value, ctx.undefined, host);
    boot.value.dispose();
    host.dispose();
    if (api.error) {
      this.io.fail(this.failureOf("sandbox", this.readError(ctx, api.error)));
      api.error.dispose();
      return vm;
    }
    vm.start = ctx.getProp(api.value, "start");
    vm.deliver = ctx.getProp(api.value, "deliver");
    vm.message = ctx.getProp(api.value, "message");
    vm.fire = ctx.getProp(api.value, "fire");
    vm.flush = ctx.getProp(api.value, "flush");
    api.value.dispose();
    if (take && !this.io.failure && !this.module.outOfMemory && firstRef !== undefined && memory.buffer.byteLength === memoryBytes) {
      image.boot = {
        memoryBytes,
        ...bootRuns(memory, before!),
        entries: [vm.start, vm.deliver, vm.message, vm.fire, vm.flush].map((h) => h.value as unknown as number),
        polls: this.polls,
        firstRef,
      };
    }
    vm.caller = new FastCaller(ctx);
    return vm;
  }

  /**
   * Starts a fresh module's interpreter from the boot image: the same runtime and context were just
   * made as the image's node made them, so the memory it gets is what booting would have written.
   * What lives outside the memory is rebuilt: the host functions' references (same ids, in the
   * same order), the entry points' handles, and the fuel the boot would have taken.
   */
  private restore(vm: Vm, boot: BootImage): boolean {
    const memory = this.module.memory;
    const refs = hostRefsOf(vm.rt);
    const handles = contextMemory(vm.ctx);
    if (memory.buffer.byteLength !== boot.memoryBytes || !refs || refs.nextId !== boot.firstRef || refs.freelist.length !== 0) return false;
    if (typeof handles?.heapValueHandle !== "function") return false;
    const valueHandle = (ptr: number) => handles.heapValueHandle!(ptr);
    for (const fn of this.hostFunctions(vm.ctx).values()) refs.put(fn);
    const heap = new Uint8Array(memory.buffer);
    for (let r = 0, at = 0; r < boot.runs.length; r += 2) {
      const length = boot.runs[r + 1]! - boot.runs[r]!;
      heap.set(boot.bytes.subarray(at, at + length), boot.runs[r]!);
      at += length;
    }
    const [start, deliver, message, fire, flush] = boot.entries as [number, number, number, number, number];
    vm.start = valueHandle(start);
    vm.deliver = valueHandle(deliver);
    vm.message = valueHandle(message);
    vm.fire = valueHandle(fire);
    vm.flush = valueHandle(flush);
    this.polls += boot.polls;
    vm.caller = new FastCaller(vm.ctx);
    return true;
  }

  /** The shim's `host`: functions that take strings only (anything else reads as ""). */
  private hostObject(ctx: QuickJSContext): QuickJSHandle {
    const host = ctx.newObject();
    for (const [name, fn] of this.hostFunctions(ctx)) {
      const h = ctx.newFunction(name, fn);
      ctx.setProp(host, name, h);
      h.dispose();
    }
    ctx.setProp(host, "sandboxed", ctx.true);
    return host;
  }

  /** The host object's functions, in order (a restored boot puts them in the same order). */
  private hostFunctions(ctx: QuickJSContext): Map<string, (...args: QuickJSHandle[]) => QuickJSHandle | { error: QuickJSHandle } | undefined> {
    const io = this.io;
    const str = (h: QuickJSHandle | undefined) => (h !== undefined && ctx.typeof(h) === "string" ? ctx.getString(h) : "");
    // Rest parameters, as the guest has always seen them (length 0).
    return new Map<string, (...args: QuickJSHandle[]) => QuickJSHandle | { error: QuickJSHandle } | undefined>([
      ["random", (..._args) => ctx.newNumber(io.random())],
      [
        "storage",
        (...[op, key, json]) => {
          const r = io.storage(str(op), str(key), str(json));
          return r === undefined ? undefined : ctx.newString(r);
        },
      ],
      ["load", (...[name]) => this.load(ctx, str(name))],
      ["fileNames", (..._args) => ctx.newString(this.image.namesJson)],
      ["effects", (...[text]) => void io.apply(str(text))],
    ]);
  }

  /** `require` of a program file: its wrapper function, evaluated; a syntax error fails the node. */
  private load(ctx: QuickJSContext, name: string): QuickJSHandle | { error: QuickJSHandle } {
    let file: CompiledFile | undefined;
    try {
      file = this.image.file(name);
    } catch (e) {
      if (!(e instanceof ProgramSyntaxError)) throw e;
      this.io.fail({ reason: "exception", message: e.message, ...e.location });
      return { error: ctx.newError({ name: "SyntaxError", message: e.message }) };
    }
    if (!file) return { error: ctx.newError({ name: "Error", message: `Cannot find module '${name}'` }) };
    const r = ctx.evalCode(file.code, name);
    if (r.error) {
      this.io.fail(this.failureOf("exception", this.readError(ctx, r.error)));
      return { error: r.error };
    }
    return r.value;
  }

  private dispose(vm: Vm): void {
    try {
      vm.caller?.dispose();
      vm.start.dispose();
      vm.deliver.dispose();
      vm.message.dispose();
      vm.fire.dispose();
      vm.flush.dispose();
      vm.ctx.dispose();
      vm.rt.dispose();
    } catch {
      this.module.broken = true;
    }
  }
}
