// The history format (docs/histories.md): client operations with call and return times, the input
// each gave and the output each got, for a register or a key-value model, one object per key.

export const HISTORY_MODELS = ["register", "kv"] as const;
export type HistoryModel = (typeof HISTORY_MODELS)[number];

/** The operations of each model, in the order the docs list them. */
export const MODEL_OPERATIONS = {
  register: ["read", "write", "cas"],
  kv: ["get", "put", "append"],
} as const satisfies Record<HistoryModel, readonly string[]>;

/** A key, as text or a whole number; 1 and "1" are different keys. Absent means the one default key. */
export type HistoryKey = string | number;

/** What a register holds: JSON scalars, compared by type and value (3 is not "3"). It starts as null. */
export type RegisterValue = string | number | boolean | null;

export type RegisterInput =
  | { op: "read"; key?: HistoryKey }
  | { op: "write"; key?: HistoryKey; value: RegisterValue }
  | { op: "cas"; key?: HistoryKey; from: RegisterValue; to: RegisterValue };

export type RegisterOutput = { value: RegisterValue } | Record<string, never> | { ok: boolean };

export type KvInput =
  | { op: "get"; key?: HistoryKey }
  | { op: "put"; key?: HistoryKey; value: string }
  | { op: "append"; key?: HistoryKey; value: string };

export type KvOutput = { value: string } | Record<string, never>;

/** Who called: a whole number or a name such as "c1". Informative only; the checker ignores it. */
export type HistoryClient = number | string;

export interface HistoryOperation<I = RegisterInput | KvInput, O = RegisterOutput | KvOutput> {
  client: HistoryClient;
  /** When the operation was called (any unit, any numbers that order the events). */
  call: number;
  /** When it returned (>= call; closed intervals), or null: it never returned. */
  return: number | null;
  input: I;
  /** What it returned, or null: unknown (always null when `return` is null). */
  output: O | null;
}

export type RegisterOperation = HistoryOperation<RegisterInput, RegisterOutput>;
export type KvOperation = HistoryOperation<KvInput, KvOutput>;

export type History =
  | { model: "register"; operations: RegisterOperation[] }
  | { model: "kv"; operations: KvOperation[] };

export interface HistoryProblem {
  /** Where, as `operations[3].input.op`; "" for the whole document. */
  path: string;
  message: string;
  /** Only for JSON syntax errors. */
  line?: number;
  column?: number;
}

export type HistoryParseResult = { ok: true; history: History } | { ok: false; problems: HistoryProblem[] };
