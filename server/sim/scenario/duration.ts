// Durations as the format writes them ("250ms", "1.5s", or a bare number of milliseconds),
// turned into integer microseconds, with messages that say how to fix a bad one.

const UNIT_US: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000, m: 60_000_000 };

export type DurationResult = { ok: true; us: number } | { ok: false; message: string };

const DURATION_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Zµ]*)$/;

/** Parses one duration; `signed` allows a negative value (a clock offset). */
export function parseDuration(value: unknown, opts: { signed?: boolean; maxUs: number }): DurationResult {
  let us: number;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { ok: false, message: `expected a duration like "250ms", got ${String(value)}` };
    us = value * 1000;
  } else if (typeof value === "string") {
    const text = value.trim();
    const m = DURATION_RE.exec(text);
    if (!m) {
      const spaced = /^([+-]?[\d.]+)\s+([a-zA-Zµ]+)$/.exec(text);
      if (spaced && UNIT_US[spaced[2] ?? ""] !== undefined) {
        return { ok: false, message: `"${value}" is not a duration: write it without a space, like "${spaced[1]}${spaced[2]}"` };
      }
      if (spaced) return { ok: false, message: `unknown unit "${spaced[2]}" in "${value}": use us, ms, s or m` };
      return { ok: false, message: `"${value}" is not a duration: write a number and a unit (us, ms, s or m), like "250ms" or "1.5s"` };
    }
    const num = Number(m[1]);
    const unit = m[2] ?? "";
    if (unit === "") {
      return { ok: false, message: `"${value}" has no unit: write "${m[1]}ms" (or us, s, m), or a bare number for milliseconds` };
    }
    const mult = UNIT_US[unit];
    if (mult === undefined) {
      return { ok: false, message: `unknown unit "${unit}" in "${value}": use us, ms, s or m` };
    }
    us = num * mult;
  } else {
    return { ok: false, message: `expected a duration like "250ms" or a number of milliseconds, got ${describeValue(value)}` };
  }
  if (!Number.isFinite(us)) return { ok: false, message: `duration ${JSON.stringify(value)} is too large` };
  us = Math.round(us);
  if (Object.is(us, -0)) us = 0;
  if (us < 0 && !opts.signed) return { ok: false, message: `a duration cannot be negative (got ${JSON.stringify(value)})` };
  if (Math.abs(us) > opts.maxUs) {
    return { ok: false, message: `duration ${JSON.stringify(value)} is too long: at most ${formatDuration(opts.maxUs)}` };
  }
  return { ok: true, us };
}

/** "121ms", "1.5s", "250us": the shortest exact way to write a duration. */
export function formatDuration(us: number): string {
  if (us !== 0 && us % 60_000_000 === 0) return `${us / 60_000_000}m`;
  if (Math.abs(us) >= 1_000_000 && us % 1000 === 0) return `${us / 1_000_000}s`;
  if (us % 1000 === 0) return `${us / 1000}ms`;
  if (Math.abs(us) >= 1000) return `${us / 1000}ms`;
  return `${us}us`;
}

/** A short description of any value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value;
}
