// What API inputs may hold: shared zod pieces for text, whole numbers and dates, bounded to
// what both databases store, and the rule that no text carries a NUL character.
// Input that passes these is stored as given on SQLite and PostgreSQL alike: no 500s from input.
import { z } from "zod";

/** PostgreSQL's `integer` (Prisma `Int`), the narrower of the two databases' integer columns. */
export const DB_INT_MIN = -2_147_483_648;
export const DB_INT_MAX = 2_147_483_647;

/**
 * Dates both databases store and read back the same: PostgreSQL's timestamp ends in year 294276 but
 * a JavaScript date's ISO form needs a six-digit year (and a sign) past 9999, which the drivers do
 * not round-trip; SQLite keeps what the driver writes. Years 1970 to 9999 are exact on both.
 */
export const DB_DATE_MIN = new Date("1970-01-01T00:00:00.000Z");
export const DB_DATE_MAX = new Date("9999-12-31T23:59:59.999Z");

/** PostgreSQL text cannot hold U+0000, and no one types it: it is refused wherever it appears. */
export const NUL_MESSAGE = "must not contain the NUL character (U+0000)";

/**
 * Text: trimmed unless `trim: false` (documents are kept exactly as written), at most `max`
 * characters, and at least one character when `required` gives the message to show.
 */
export function zText(opts: { max: number; required?: string; trim?: boolean; maxMessage?: string }) {
  const base = opts.trim === false ? z.string({ error: textTypeMessage }) : z.string({ error: textTypeMessage }).trim();
  const bounded = base.max(opts.max, opts.maxMessage ?? `at most ${opts.max} characters`);
  return opts.required ? bounded.min(1, opts.required) : bounded;
}

function textTypeMessage(issue: { input?: unknown }): string {
  return issue.input === undefined ? "required" : `expected text, got ${describeInput(issue.input)}`;
}

/** A whole number between `min` and `max`, which must lie in the database's integer range. */
export function zInt(min: number, max: number, what = "a whole number") {
  if (min < DB_INT_MIN || max > DB_INT_MAX || min > max) throw new Error(`zInt(${min}, ${max}): outside the database's integer range`);
  return z
    .number({ error: (issue) => (issue.input === undefined ? "required" : `expected ${what}, got ${describeInput(issue.input)}`) })
    .int(`${what} is a whole number`)
    .min(min, `at least ${min}`)
    .max(max, `at most ${max}`);
}

/** A version number of a scenario (1, 2, …). */
export const zVersion = zInt(1, DB_INT_MAX, "a version number");

/** A date (a Date, an ISO string or milliseconds since 1970) that both databases store. */
export function zDate(what = "a date and time") {
  return z.coerce
    .date({ error: `expected ${what}` })
    .min(DB_DATE_MIN, `${what} from 1970 on`)
    .max(DB_DATE_MAX, `${what} before the year 10000`);
}

export function describeInput(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "text";
  if (typeof value === "number") return Number.isFinite(value) ? `the number ${value}` : String(value);
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** Values an input holds, counted while looking for NUL, beyond which the walk gives up (the body limit bounds inputs anyway). */
const INPUT_VALUES_WALKED_MAX = 1_000_000;

/**
 * The path of the first string (or object key) in `input` that holds U+0000, or null. Walks with its
 * own stack, so a deeply nested input cannot overflow the call stack.
 */
export function findNul(input: unknown): (string | number)[] | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  let walked = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++walked > INPUT_VALUES_WALKED_MAX) return null;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, v] = entries[i]!;
        if (key.includes("\u0000")) return [...path, key.split("\u0000").join("\\0")];
        stack.push({ value: v, path: [...path, key] });
      }
    }
  }
  return null;
}

/**
 * A ZodError with one issue per problem, made the way input validation makes one, so the error
 * formatter shows it by field. (A ZodError built with `new` is not an Error, and tRPC would wrap it.)
 */
export function inputIssues(problems: { path: (string | number)[]; message: string }[]): z.ZodError {
  return z
    .any()
    .superRefine((_, ctx) => problems.forEach((p) => ctx.addIssue({ code: "custom", path: p.path, message: p.message })))
    .safeParse(null).error!;
}

export function inputIssue(path: (string | number)[], message: string): z.ZodError {
  return inputIssues([{ path, message }]);
}
