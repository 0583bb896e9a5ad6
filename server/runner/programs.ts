// Node only: the program runtime with the interpreter's WebAssembly compiled once per process (or
// worker thread), so each node's fresh interpreter module is instantiated without compiling again.

import fs from "node:fs";
import { createRequire } from "node:module";
import { loadProgramRuntime, type ProgramRuntime } from "../sim/programs";
import { runNodeList } from "../sim/run";
import type { Scenario } from "../sim/scenario/types";

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

let runtime: Promise<ProgramRuntime> | null = null;

/**
 * What runScenario needs to run this scenario here: for a program (protocol.kind custom), the
 * process's runtime with one fresh interpreter prepared per program node; nothing otherwise.
 */
export async function programOptions(scenario: Scenario): Promise<{ programs?: ProgramRuntime }> {
  if (scenario.protocol.kind !== "custom") return {};
  runtime ??= loadNodeProgramRuntime();
  const r = await runtime;
  await r.prepare(scenario.protocol, runNodeList(scenario).programIds.length);
  return { programs: r };
}
