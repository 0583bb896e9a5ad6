// Loads the QuickJS interpreter (WebAssembly, asynchronous) and keeps fresh interpreter modules
// ready, so that a run, which is synchronous, can give each program node a module of its own.

import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
import releaseSync from "@jitl/quickjs-wasmfile-release-sync";
import type { NodeBehavior } from "../nodes/api";
import type { CustomProtocol } from "../scenario/types";
import { memoryPages } from "./limits";
import { programBehavior } from "./sandbox";

/** The interpreter's WebAssembly memory starts at 256 pages (16 MiB): the module asks for no less. */
const INITIAL_MEMORY_PAGES = 256;

/**
 * One node's interpreter: a WebAssembly module whose memory cannot grow past the node's cap. A
 * module serves one node for one run (its restarts included) and is never reused by another run.
 */
export interface SandboxModule {
  readonly qjs: QuickJSWASMModule;
  readonly memory: WebAssembly.Memory;
  /** The memory had to grow past its cap (the node is out of memory). */
  outOfMemory: boolean;
  /** Something failed inside the interpreter itself: the module is never called again. */
  broken: boolean;
  /** An interpreter was made in it (it is no longer fresh from instantiation). */
  used: boolean;
}

export interface ProgramRuntimeOptions {
  /** The compiled interpreter (server/runner/programs.ts compiles it once per process in Node); else the variant loads it. */
  wasmModule?: WebAssembly.Module;
}

export class ProgramRuntime {
  /** Fresh modules by memory cap (pages). */
  private readonly ready = new Map<number, SandboxModule[]>();

  constructor(private readonly options: ProgramRuntimeOptions = {}) {}

  /** Makes sure the next run of `protocol` finds a fresh module for each of its program nodes. */
  async prepare(protocol: CustomProtocol, programNodes: number): Promise<void> {
    const pages = memoryPages(protocol.limits.memoryBytes);
    const pool = this.pool(pages);
    while (pool.length < programNodes) pool.push(await this.create(pages));
  }

  /** One behavior per program node of a run (runScenario's `programs`); prepare() must have run for it. */
  behaviors(protocol: CustomProtocol, programNodeIds: readonly string[]): () => NodeBehavior {
    return programBehavior(this, protocol, programNodeIds);
  }

  /** A fresh module (synchronous: prepare() made it). */
  take(pages: number): SandboxModule {
    const module = this.pool(pages).pop();
    if (!module) throw new Error("no interpreter ready for this program node: await runtime.prepare(protocol, programNodes) before each run");
    return module;
  }

  /** Fresh modules waiting for a run. */
  get readyCount(): number {
    let n = 0;
    for (const pool of this.ready.values()) n += pool.length;
    return n;
  }

  private pool(pages: number): SandboxModule[] {
    let pool = this.ready.get(pages);
    if (!pool) this.ready.set(pages, (pool = []));
    return pool;
  }

  private async create(pages: number): Promise<SandboxModule> {
    const memory = new WebAssembly.Memory({ initial: INITIAL_MEMORY_PAGES, maximum: Math.max(INITIAL_MEMORY_PAGES, pages) });
    const variant = newVariant(importedOnce(), { wasmMemory: memory, ...(this.options.wasmModule ? { wasmModule: this.options.wasmModule } : {}) });
    const qjs = await newQuickJSWASMModuleFromVariant(variant);
    const module: SandboxModule = { qjs, memory, outOfMemory: false, broken: false, used: false };
    // The interpreter grows its memory through this call; past the cap it throws, and malloc fails.
    const grow = memory.grow.bind(memory);
    memory.grow = (delta: number) => {
      try {
        return grow(delta);
      } catch (e) {
        module.outOfMemory = true;
        throw e;
      }
    };
    return module;
  }
}

let imported: typeof releaseSync | null = null;

/**
 * The release variant with its two dynamic imports (the emscripten loader and the FFI) made once per
 * process: every module made from it would import both again (under a loader hook, as in `npm run
 * bench` with tsx, each import is a round trip to the hook's thread, about 1 ms a module).
 */
function importedOnce(): typeof releaseSync {
  if (imported) return imported;
  const loader = releaseSync.importModuleLoader();
  const ffi = releaseSync.importFFI();
  // A failed import is not kept: the next module tries again.
  loader.catch(() => (imported = null));
  ffi.catch(() => (imported = null));
  imported = { ...releaseSync, importModuleLoader: () => loader, importFFI: () => ffi };
  return imported;
}

/** The interpreter, loaded (call once per process or worker; then prepare() before each run). */
export async function loadProgramRuntime(options: ProgramRuntimeOptions = {}): Promise<ProgramRuntime> {
  const runtime = new ProgramRuntime(options);
  // Load the WebAssembly now, so that a broken install fails here and not in the first run.
  await newQuickJSWASMModuleFromVariant(options.wasmModule ? newVariant(releaseSync, { wasmModule: options.wasmModule }) : releaseSync);
  return runtime;
}
