// Node only: the program runtime with the interpreter's WebAssembly compiled once per process (or
// worker thread), so each node's fresh interpreter module is instantiated without compiling again.

import fs from "node:fs";
import { createRequire } from "node:module";
import { loadProgramRuntime, type ProgramRuntime } from "../sim/programs";

let compiled: Promise<WebAssembly.Module> | null = null;

function compileInterpreter(): Promise<WebAssembly.Module> {
  const file = createRequire(import.meta.url).resolve("@jitl/quickjs-wasmfile-release-sync/wasm");
  return WebAssembly.compile(fs.readFileSync(file));
}

/** The program runtime for this process; call `prepare(protocol, n)` on it before each run. */
export async function loadNodeProgramRuntime(): Promise<ProgramRuntime> {
  compiled ??= compileInterpreter();
  return loadProgramRuntime({ wasmModule: await compiled });
}
