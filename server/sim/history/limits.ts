// Every limit on a history and on checking one, as named constants with their unit in the name.
// The service may lower the format's limits per call (parseHistoryText's `limits`), never raise them.

export const HISTORY_LIMITS = {
  /** Size of a history document, in UTF-8 bytes. */
  MAX_HISTORY_BYTES: 33_554_432,
  /** Entries in `operations`. */
  MAX_OPERATIONS: 100_000,
  /** Length of a key written as text, in characters. */
  MAX_KEY_CHARS: 256,
  /** Length of a value written as text, in characters. */
  MAX_VALUE_CHARS: 4096,
  /** Length of a client written as text, in characters. */
  MAX_CLIENT_CHARS: 64,
  /** Problems listed for an invalid history; the last line then says how many more there were. */
  MAX_PROBLEMS_LISTED: 100,
} as const;

export const CHECK_LIMITS = {
  /** Search steps the verdict may take by default (about a second on one core); past it, "unknown". */
  DEFAULT_CHECK_STEPS: 20_000_000,
  /** Search steps spent by default shrinking a refuted key to a minimal set of operations. */
  DEFAULT_SHRINK_STEPS: 20_000_000,
  /** Memory for the memo of visited (linearized set, state) pairs of one search, in bytes. */
  MAX_MEMO_BYTES: 268_435_456,
} as const;

/** The limits one parse works under, in camelCase (`maxOperations` is HISTORY_LIMITS.MAX_OPERATIONS). */
export interface HistoryLimits {
  maxHistoryBytes: number;
  maxOperations: number;
  maxKeyChars: number;
  maxValueChars: number;
  maxClientChars: number;
}

export const DEFAULT_HISTORY_LIMITS: Readonly<HistoryLimits> = Object.freeze({
  maxHistoryBytes: HISTORY_LIMITS.MAX_HISTORY_BYTES,
  maxOperations: HISTORY_LIMITS.MAX_OPERATIONS,
  maxKeyChars: HISTORY_LIMITS.MAX_KEY_CHARS,
  maxValueChars: HISTORY_LIMITS.MAX_VALUE_CHARS,
  maxClientChars: HISTORY_LIMITS.MAX_CLIENT_CHARS,
});

/** The limits in force: DEFAULT_HISTORY_LIMITS, lowered (never raised) by `override`. */
export function effectiveHistoryLimits(override?: Partial<HistoryLimits>): HistoryLimits {
  const out: HistoryLimits = { ...DEFAULT_HISTORY_LIMITS };
  if (override) {
    for (const key of Object.keys(DEFAULT_HISTORY_LIMITS) as (keyof HistoryLimits)[]) {
      const v = override[key];
      if (typeof v === "number" && Number.isFinite(v) && v >= 0 && v < out[key]) out[key] = Math.floor(v);
    }
  }
  return out;
}
