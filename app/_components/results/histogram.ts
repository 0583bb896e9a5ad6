// Histogram binning for the latency plot: equal-width bins on "nice" edges (1, 2, 5 × 10^k)
// that cover every value, and a decimation of scatter points for plots of many requests.

import { niceStep } from "./time";

export interface Histogram {
  /** Bin edges, ascending; bin k is [edges[k], edges[k+1]) and the last bin also holds its upper edge. */
  edges: number[];
  counts: number[];
  /** Values counted (every finite input). */
  total: number;
}

/** Bins `values` into about `targetBins` equal bins whose width is a nice number. */
export function histogram(values: ArrayLike<number>, targetBins = 20): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    total++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (total === 0) return { edges: [], counts: [], total: 0 };
  const bins = Math.max(1, Math.floor(targetBins));
  // All equal: one bin of width 1 (in the values' unit) around them, so it still has a width.
  const width = max > min ? niceStep((max - min) / bins) : niceStep(Math.abs(min) > 0 ? Math.abs(min) / 10 : 1);
  const start = Math.floor(min / width) * width;
  let count = Math.max(1, Math.ceil((max - start) / width));
  // The top value sits on the last edge when (max - start) is a whole number of widths: it goes in the last bin.
  if (start + count * width < max) count++;
  const edges = Array.from({ length: count + 1 }, (_, k) => start + k * width);
  const counts = new Array<number>(count).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const k = Math.min(count - 1, Math.max(0, Math.floor((v - start) / width)));
    counts[k]!++;
  }
  return { edges, counts, total };
}

/**
 * Thins (x, y) points for a plot `columns` wide: per column, the lowest and the highest point, so
 * the outliers a reader looks for are always drawn. Returns point indices, ascending by x.
 */
export function decimate(xs: ArrayLike<number>, ys: ArrayLike<number>, columns: number, xMin: number, xMax: number): number[] {
  const n = Math.min(xs.length, ys.length);
  if (n <= columns * 2) return Array.from({ length: n }, (_, i) => i);
  const lo = new Int32Array(columns).fill(-1);
  const hi = new Int32Array(columns).fill(-1);
  const span = xMax - xMin || 1;
  for (let i = 0; i < n; i++) {
    const c = Math.min(columns - 1, Math.max(0, Math.floor(((xs[i]! - xMin) / span) * columns)));
    if (lo[c]! < 0 || ys[i]! < ys[lo[c]!]!) lo[c] = i;
    if (hi[c]! < 0 || ys[i]! > ys[hi[c]!]!) hi[c] = i;
  }
  const out = new Set<number>();
  for (let c = 0; c < columns; c++) {
    if (lo[c]! >= 0) out.add(lo[c]!);
    if (hi[c]! >= 0) out.add(hi[c]!);
  }
  return [...out].sort((a, b) => a - b);
}
