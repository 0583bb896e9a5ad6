// Programs that ship with the simulator, run natively with the very same shim and library as in the
// sandbox: their files are generated functions (scripts/generate-programs.ts), so nothing is evaluated.

import type { MessageBody, NodeBehavior, NodeContext } from "../nodes/api";
import { files as builtins } from "./generated/builtins";
import { INIT_SOURCE, NodeIo, type ShimApi, type ShimFactory, type ShimHost } from "./host";
import { LIBRARY_FILE } from "./source";

/** A file's CommonJS wrapper, called with the parameters of WRAPPER_PARAMS. */
export type WrapperFunction = (...args: unknown[]) => void;
export interface NativeFile {
  /** The file's text (what a user forks into a program of their own). */
  source: string;
  fn: WrapperFunction;
}
export type NativeFiles = Record<string, NativeFile>;
export interface NativeProgram {
  main: string;
  files: NativeFiles;
}

/** The shim, instantiated as a CommonJS module (its wrapper gets the host's Date and Math). */
function nativeShim(): ShimFactory {
  const module = { exports: {} as unknown };
  const file = builtins["shim.js"]!;
  file.fn(module.exports, undefined, module, "/shim.js", "/", undefined, undefined, undefined, undefined, undefined, undefined, undefined, Date, Math);
  return module.exports as ShimFactory;
}

let shimFactory: ShimFactory | null = null;

/** The `init` line every program node reads first. */
export function initLine(id: string, programNodeIds: readonly string[]): string {
  return JSON.stringify({ src: INIT_SOURCE, dest: id, body: { type: "init", msg_id: 1, node_id: id, node_ids: programNodeIds } });
}

/** One behavior per program node (call once per node), running `program` natively. */
export function nativeProgramBehavior(program: NativeProgram, programNodeIds: readonly string[]): () => NodeBehavior {
  if (!(program.main in program.files)) throw new Error(`native program: main '${program.main}' is not one of its files`);
  shimFactory ??= nativeShim();
  const factory = shimFactory;
  const ids = [...programNodeIds];
  return () => new NativeNode(program, ids, factory);
}

class NativeNode implements NodeBehavior {
  private readonly io = new NodeIo((reason, e) => ({ reason, message: e.name ? `${e.name}: ${e.message}` : e.message }));
  private shim: ShimApi | null = null;

  constructor(
    private readonly program: NativeProgram,
    private readonly ids: string[],
    private readonly createShim: ShimFactory,
  ) {}

  start(ctx: NodeContext): void {
    this.io.begin(ctx);
    const shim = this.createShim(this.host(), Date, Math, undefined);
    this.shim = shim;
    this.io.apply(shim.start(this.program.main, this.io.nowMs()));
    if (!this.io.failure) this.io.apply(shim.deliver(initLine(ctx.id, this.ids), this.io.nowMs()));
    this.io.end();
  }

  receive(ctx: NodeContext, src: string, body: MessageBody, bodyText?: string): void {
    if (!this.shim) return;
    this.io.begin(ctx);
    this.io.apply(this.shim.message(src, ctx.id, bodyText ?? JSON.stringify(body), this.io.nowMs()));
    this.io.end();
  }

  timer(ctx: NodeContext, kernelId: number): void {
    const id = this.shim ? this.io.takeTimer(kernelId) : -1;
    if (id < 0) return;
    this.io.begin(ctx);
    this.io.apply(this.shim!.fire(id, this.io.nowMs()));
    this.io.end();
  }

  crashed(): void {
    this.shim = null;
    this.io.reset();
  }

  private host(): ShimHost {
    const io = this.io;
    const files = this.program.files;
    return {
      sandboxed: false,
      random: () => io.random(),
      storage: (op, key, json) => io.storage(op, key, json),
      load: (name) => (name === LIBRARY_FILE ? builtins["node.js"]! : files[name]!).fn,
      fileNames: () => JSON.stringify(Object.keys(files)),
      effects: (text) => io.apply(text),
    };
  }
}
