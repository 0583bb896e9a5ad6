// Every limit of a program node, with its unit: what a scenario may ask for (fuel, memory), what
// the service caps (files and their sizes), and what the sandbox enforces per event and per node.

/** Fuel is counted in interpreter ticks (backward jumps and calls); QuickJS polls every 10,000. */
export const FUEL_TICKS_PER_POLL = 10_000;

export const PROGRAM_LIMITS = {
  /** Ticks one node may spend in one event when the scenario does not say. */
  DEFAULT_FUEL: 50_000_000,
  /** The most fuel a scenario may give (about 10 s of interpretation). */
  MAX_FUEL: 1_000_000_000,
  /** The least fuel a scenario may give: one poll. */
  MIN_FUEL: FUEL_TICKS_PER_POLL,
  /** A node's WebAssembly memory (heap, stack and the interpreter) when the scenario does not say. */
  DEFAULT_MEMORY_BYTES: 32 * 1024 * 1024,
  /** The interpreter's WebAssembly memory starts at 16 MiB: a smaller cap is raised to this. */
  MIN_MEMORY_BYTES: 16 * 1024 * 1024,
  MAX_MEMORY_BYTES: 256 * 1024 * 1024,
  /** Memory of all program nodes of one run together (program nodes × memory). */
  MAX_RUN_MEMORY_BYTES: 2 * 1024 * 1024 * 1024,
  /** The interpreter's stack: deeper recursion is a stack overflow (about 180 nested calls). */
  STACK_BYTES: 32 * 1024,
  MAX_FILES: 32,
  MAX_FILE_NAME_CHARS: 128,
  /** Size of one file, in UTF-16 code units of its text. */
  MAX_FILE_CHARS: 256 * 1024,
  /** All files of a program together. */
  MAX_TOTAL_FILE_CHARS: 1024 * 1024,
  /** Messages one node may send while handling one event; more is a node error (output). */
  MAX_MESSAGES_PER_EVENT: 10_000,
  /** Standard error one node may write in one event; the rest is cut (with a note in the log). */
  MAX_LOG_CHARS_PER_EVENT: 64 * 1024,
  /** One line of standard output (a message); longer is a node error (output). */
  MAX_OUTPUT_LINE_CHARS: 128 * 1024,
  /** Timers one node may have pending at once; more is a node error (timers). */
  MAX_TIMERS_PER_NODE: 10_000,
  /** Durable storage of one node: keys plus JSON text of values; a write past it throws in the program. */
  MAX_STORAGE_CHARS_PER_NODE: 16 * 1024 * 1024,
} as const;

/** Why a program node crashed by itself (NodeError.reason). */
export type ProgramFailureReason =
  | "exception" // an uncaught exception (file, line and column where it was thrown)
  | "fuel" // the event's fuel ran out (where it was)
  | "memory" // the node's memory is full
  | "stack" // too deep a recursion
  | "output" // a line of standard output that is not a message, or too many messages
  | "timers" // too many pending timers
  | "exit" // the program called process.exit
  | "sandbox"; // the interpreter itself failed: the node stays down for the rest of the run

/** The effective memory cap of a node, in whole WebAssembly pages (64 KiB). */
export function memoryPages(memoryBytes: number): number {
  const bytes = Math.min(PROGRAM_LIMITS.MAX_MEMORY_BYTES, Math.max(PROGRAM_LIMITS.MIN_MEMORY_BYTES, memoryBytes));
  return Math.ceil(bytes / 65_536);
}
