// The simulator's version, printed in every run summary and trace header.
// Bump it whenever the same scenario and seed could produce different events.
// 1.1.0: a pause fault is recorded (pause and resume events), so a scenario with a pause gains events.
export const ENGINE_VERSION = "1.1.0";

/** Version of the scenario format this simulator reads. */
export const FORMAT_VERSION = 1;
