// The sequential specifications the checker replays, over one key's operations coded as integers
// with states as small integers: the interface (register-model.ts and kv-model.ts implement it).

/** One model over one key's operations; states are integers so the checker can memoise them cheaply. */
export interface ModelMachine {
  readonly initial: number;
  /** The state after operation `op` (its index in the key's list) from `state`, or -1 when `op`,
   *  with the output it gave, cannot happen in `state`. */
  step(state: number, op: number): number;
  /** The state after `op` from `state` whatever output it gave (a read's is `state`). */
  effect(state: number, op: number): number;
  /** True when `op` never changes the state (reads): with its output unknown it constrains nothing. */
  readOnly(op: number): boolean;
  /** True when `op`, with the output it gave, leaves every state as it was (reads, a failed cas). */
  keepsState(op: number): boolean;
  /** A name for what `op` does when its output is unknown: operations with the same name are
   *  interchangeable (two writes of 3). */
  effectName(op: number): string;
  /** Operations that cannot be ordered whatever the others did, found without searching (a read of
   *  a value nothing writes; a read of a value every write of which was overwritten before the read
   *  began), as a minimal set; null when there are none or the model cannot tell cheaply. `call`
   *  and `ret` are the operations' times (Infinity: never returned). */
  contradiction(call: Float64Array, ret: Float64Array): number[] | null;
  /** Bytes held by the states made so far, counted against the checker's memory limit. */
  readonly stateBytes: number;
}

export const UNKNOWN = -1;
