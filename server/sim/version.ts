// The simulator's version, printed in every run summary and trace header.
// Bump it whenever the same scenario and seed could produce different events.
// 1.1.0: a pause fault is recorded (pause and resume events), so a scenario with a pause gains events.
// 1.2.0: program nodes: a logged error's stack leaves out the runtime's own frames, and the runtime
// spends fewer interpreter ticks per message (so where fuel cuts a runaway loop can move).
export const ENGINE_VERSION = "1.2.0";

/** Version of the scenario format this simulator reads. */
export const FORMAT_VERSION = 1;
