// Shared plot geometry: a linear scale from data to SVG pixels and nice ticks for its axis,
// so every plot on the results pages lines up the same way.
import { niceTicks } from "@/app/_components/results/time";

export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
  step: number;
}

/** Maps [d0, d1] to [r0, r1], widening the domain to nice tick bounds when `nice` is set. */
export function linearScale(d0: number, d1: number, r0: number, r1: number, tickCount = 5, nice = true): Scale {
  let lo = d0;
  let hi = d1;
  if (!(hi > lo)) hi = lo + 1;
  const { step, ticks } = niceTicks(lo, hi, tickCount);
  if (nice) {
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
  }
  const f = ((v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0)) as Scale;
  f.domain = [lo, hi];
  f.ticks = nice ? niceTicks(lo, hi, tickCount).ticks : ticks;
  f.step = step;
  return f;
}

export function formatNumber(v: number, step: number): string {
  const digits = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step) - 1e-9));
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
