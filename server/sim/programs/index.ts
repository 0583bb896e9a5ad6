// Programs: user JavaScript and TypeScript nodes in a QuickJS sandbox, and the same runtime run
// natively for the programs that ship with the simulator. See docs/programs.md.

export { loadProgramRuntime, ProgramRuntime, type ProgramRuntimeOptions } from "./loader";
export { programBehavior } from "./sandbox";
export { nativeProgramBehavior, initLine, type NativeProgram, type NativeFiles, type NativeFile } from "./native";
export { INIT_SOURCE, TIMER_LABEL } from "./host";
export { PROGRAM_LIMITS, FUEL_TICKS_PER_POLL, memoryPages, type ProgramFailureReason } from "./limits";
export { checkProgramFiles, checkProgramSyntax, type ProgramProblem } from "./source";
