// The fault kinds of scenario format v1, for filters and the form editor.
export const FAULT_KINDS: readonly string[] = ["drop", "delay", "duplicate", "crash", "slow", "partition", "byzantine", "clock"];
