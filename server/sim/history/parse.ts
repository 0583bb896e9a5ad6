// Reading a history: JSON text (syntax errors with line:column) or an already-parsed value, then a
// fast path for valid histories, else the schema: every problem at once as `path: message`. Never throws.

import type { z } from "zod";
import { describeValue } from "../scenario/duration";
import { formatPath } from "../scenario/parse";
import { readValidHistory } from "./fast-path";
import { jsonErrorOffset } from "./json-position";
import { effectiveHistoryLimits, HISTORY_LIMITS, type HistoryLimits } from "./limits";
import { makeHistorySchema } from "./schema";
import type { HistoryParseResult, HistoryProblem } from "./types";

export interface HistoryParseOptions {
  /** Lower limits than the format's own (HISTORY_LIMITS); a larger value is ignored. */
  limits?: Partial<HistoryLimits>;
}

const schemaCache = new Map<string, ReturnType<typeof makeHistorySchema>>();
function schemaFor(limits: HistoryLimits) {
  const key = JSON.stringify(limits);
  let s = schemaCache.get(key);
  if (!s) {
    s = makeHistorySchema(limits);
    if (schemaCache.size > 16) schemaCache.clear();
    schemaCache.set(key, s);
  }
  return s;
}

/** Parses a history from JSON text. Never throws. */
export function parseHistoryText(text: string, options: HistoryParseOptions = {}): HistoryParseResult {
  try {
    const limits = effectiveHistoryLimits(options.limits);
    if (typeof text !== "string") return fail("", "the document must be text");
    if (exceedsBytes(text, limits.maxHistoryBytes)) {
      return fail("", `the document is more than ${formatBytes(limits.maxHistoryBytes)}, the limit`);
    }
    if (text.trim() === "") return fail("", "the document is empty");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { ok: false, problems: [jsonProblem(text, err)] };
    }
    return validate(value, limits);
  } catch (err) {
    return fail("", internalMessage(err));
  }
}

/** Validates an already-parsed value (for example one built by the simulator). Never throws. */
export function validateHistory(value: unknown, options: HistoryParseOptions = {}): HistoryParseResult {
  try {
    return validate(value, effectiveHistoryLimits(options.limits));
  } catch (err) {
    return fail("", internalMessage(err));
  }
}

function fail(path: string, message: string): HistoryParseResult {
  return { ok: false, problems: [{ path, message }] };
}

function internalMessage(err: unknown): string {
  if (err instanceof RangeError) return "the document is nested too deeply to read";
  return `the document could not be read (${err instanceof Error ? err.message : String(err)})`;
}

function validate(value: unknown, limits: HistoryLimits): HistoryParseResult {
  const fast = readValidHistory(value, limits);
  if (fast) return { ok: true, history: fast };
  const r = schemaFor(limits).safeParse(value, { reportInput: true });
  if (r.success) return { ok: true, history: r.data };
  return { ok: false, problems: toProblems(r.error.issues) };
}

function toProblems(issues: readonly z.core.$ZodIssue[]): HistoryProblem[] {
  const problems: HistoryProblem[] = [];
  const seen = new Set<string>();
  const add = (p: HistoryProblem) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return;
    seen.add(k);
    problems.push(p);
  };
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const input = (issue as { input?: unknown }).input;
    const last = path[path.length - 1];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add({ path: formatPath([...path, key]), message: `unknown field "${key}"` });
    } else if (input === undefined && typeof last === "string" && issue.code !== "too_big") {
      add({ path: formatPath(path), message: `missing required field "${last}"` });
    } else if (issue.code === "invalid_type" || issue.code === "invalid_value") {
      add({ path: formatPath(path), message: `expected ${describeExpected(issue)}, got ${describeValue(input)}` });
    } else {
      add({ path: formatPath(path), message: issue.message });
    }
  }
  const max = HISTORY_LIMITS.MAX_PROBLEMS_LISTED;
  if (problems.length > max) {
    const more = problems.length - max;
    problems.length = max;
    problems.push({ path: "", message: `… and ${more} more problems` });
  }
  return problems;
}

function describeExpected(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value") return issue.values.map((v) => JSON.stringify(v)).join(" or ");
  if (issue.code === "invalid_type") return issue.expected === "object" ? "a map" : issue.expected === "array" ? "a list" : issue.expected;
  return "something else";
}

/** A JSON syntax error, with its line and column. */
function jsonProblem(text: string, err: unknown): HistoryProblem {
  const raw = err instanceof Error ? err.message : String(err);
  // V8 quotes part of the input in some messages and gives an offset in others: the line and column say more.
  const what = raw.replace(/, .*is not valid JSON$/s, "").replace(/ in JSON at position \d+.*$/s, "");
  const message = `JSON syntax: ${what}`;
  const offset = jsonErrorOffset(text);
  if (offset < 0) return { path: "", message };
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { path: "", message, line, column: offset - lineStart + 1 };
}

/** Whether `text` is longer than `cap` bytes in UTF-8; counting stops once past it. */
function exceedsBytes(text: string, cap: number): boolean {
  if (text.length * 3 <= cap) return false; // at most 3 bytes per UTF-16 unit
  let n = 0;
  for (let i = 0; i < text.length && n <= cap; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n > cap;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
