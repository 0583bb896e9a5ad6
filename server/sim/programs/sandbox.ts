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

/** A program's files, compiled once per run and shared by its nodes. */
class ProgramImage {
  readonly namesJson: string;
  /** Compiled so far, by name (what error locations are mapped with). */
  readonly compiled = new Map<string, CompiledFile>();

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
  /** Calls deliver and start with a string without quickjs-emscripten's per-call handles. */
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
    this.event(ctx, () => this.enter(vm.message, parts));
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
  private enter(fn: QuickJSHandle, arg: string | number | readonly string[]): void {
    const { ctx, caller } = this.vm!;
    if (caller && typeof arg !== "number") {
      const r = typeof arg === "string" ? caller.call(fn, arg, this.io.nowMs()) : caller.callWith(fn, arg, this.io.nowMs());
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
    const rt = this.module.qjs.newRuntime();
    rt.setMaxStackSize(PROGRAM_LIMITS.STACK_BYTES);
    rt.setInterruptHandler(this.interrupt);
    const ctx = rt.newContext();
    const vm: Vm = { rt, ctx, start: ctx.undefined, deliver: ctx.undefined, message: ctx.undefined, fire: ctx.undefined, flush: ctx.undefined, caller: null };
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
    vm.caller = new FastCaller(ctx);
    return vm;
  }

  /** The shim's `host`: functions that take strings only (anything else reads as ""). */
  private hostObject(ctx: QuickJSContext): QuickJSHandle {
    const io = this.io;
    const str = (h: QuickJSHandle | undefined) => (h !== undefined && ctx.typeof(h) === "string" ? ctx.getString(h) : "");
    const fns: Record<string, (args: QuickJSHandle[]) => QuickJSHandle | { error: QuickJSHandle } | undefined> = {
      random: () => ctx.newNumber(io.random()),
      storage: ([op, key, json]) => {
        const r = io.storage(str(op), str(key), str(json));
        return r === undefined ? undefined : ctx.newString(r);
      },
      load: ([name]) => this.load(ctx, str(name)),
      fileNames: () => ctx.newString(this.image.namesJson),
      effects: ([text]) => void io.apply(str(text)),
    };
    const host = ctx.newObject();
    for (const [name, fn] of Object.entries(fns)) {
      const h = ctx.newFunction(name, (...args) => fn(args));
      ctx.setProp(host, name, h);
      h.dispose();
    }
    ctx.setProp(host, "sandboxed", ctx.true);
    return host;
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
