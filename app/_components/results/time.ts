// Virtual time as people read it: microseconds (the trace's unit) shown as µs, ms or s,
// and "nice" axis ticks (1, 2, 5 × a power of ten) for the diagram and the plots.

/** Formats a virtual time or duration in µs with a unit that suits its size. */
export function formatUs(us: number): string {
  const abs = Math.abs(us);
  if (abs === 0) return "0 ms";
  if (abs < 1000) return `${trim(us, 0)} µs`;
  if (abs < 1_000_000) return `${trim(us / 1000, abs < 10_000 ? 3 : abs < 100_000 ? 2 : 1)} ms`;
  return `${trim(us / 1_000_000, abs < 10_000_000 ? 4 : 3)} s`;
}

function trim(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

/** The smallest 1, 2 or 5 × 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return m * pow;
}

/** Tick positions covering [from, to] with about `target` ticks, on multiples of a nice step. */
export function niceTicks(from: number, to: number, target: number): { step: number; ticks: number[] } {
  const span = to - from;
  if (!(span > 0) || target < 1) return { step: 1, ticks: [from] };
  const step = niceStep(span / target);
  const ticks: number[] = [];
  // Ticks are computed as k * step (not by repeated addition) so they do not drift.
  for (let k = Math.ceil(from / step); k * step <= to + step * 1e-9; k++) ticks.push(k * step + 0); // + 0 turns -0 into 0
  return { step, ticks };
}

/**
 * A tick label. The unit follows the largest time on the axis (`scaleUs`, so every tick of one axis
 * shares a unit: s from 1 s, ms from 1 ms, else µs), with as many decimals as the step needs.
 */
export function formatTick(us: number, stepUs: number, scaleUs = Math.abs(us)): string {
  if (scaleUs >= 1_000_000) return `${trim(us / 1_000_000, decimals(stepUs / 1_000_000))} s`;
  if (scaleUs >= 1000) return `${trim(us / 1000, decimals(stepUs / 1000))} ms`;
  return `${trim(us, decimals(stepUs))} µs`;
}

function decimals(step: number): number {
  if (step >= 1) return 0;
  return Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}
