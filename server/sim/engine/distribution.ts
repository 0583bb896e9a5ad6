// Sampling the format's distributions (constant, uniform, exponential, normal, lognormal)
// from a random stream, as integer microseconds >= 0.

import type { Distribution } from "../scenario/types";
import type { RandomStreams } from "./rng";

export const DIST_CONSTANT = 0;
export const DIST_UNIFORM = 1;
export const DIST_EXPONENTIAL = 2;
export const DIST_NORMAL = 3;
export const DIST_LOGNORMAL = 4;

/** A distribution flattened to (kind, p1, p2) so sampling is a switch, not a method call on an object. */
export interface CompiledDist {
  kind: number;
  p1: number;
  p2: number;
}

export function compileDist(d: Distribution): CompiledDist {
  switch (d.dist) {
    case "constant":
      return { kind: DIST_CONSTANT, p1: d.valueUs, p2: 0 };
    case "uniform":
      return { kind: DIST_UNIFORM, p1: d.minUs, p2: d.maxUs - d.minUs };
    case "exponential":
      return { kind: DIST_EXPONENTIAL, p1: d.meanUs, p2: 0 };
    case "normal":
      return { kind: DIST_NORMAL, p1: d.meanUs, p2: d.sdUs };
    case "lognormal":
      return { kind: DIST_LOGNORMAL, p1: d.medianUs, p2: d.sigma };
  }
}

const TWO_PI = 2 * Math.PI;

/**
 * One draw in integer microseconds. A constant draws nothing; uniform and exponential draw once;
 * normal and lognormal draw twice (Box-Muller, the second variate is discarded so the count is fixed).
 */
export function sample(d: CompiledDist, rng: RandomStreams, stream: number): number {
  switch (d.kind) {
    case DIST_CONSTANT:
      return d.p1;
    case DIST_UNIFORM:
      return Math.round(d.p1 + rng.float(stream) * d.p2);
    case DIST_EXPONENTIAL:
      return Math.round(-d.p1 * Math.log(1 - rng.float(stream)));
    case DIST_NORMAL: {
      const v = Math.round(d.p1 + d.p2 * gaussian(rng, stream));
      return v > 0 ? v : 0;
    }
    default: {
      const v = Math.round(d.p1 * Math.exp(d.p2 * gaussian(rng, stream)));
      return v > 0 ? (v < 1e15 ? v : 1e15) : 0;
    }
  }
}

function gaussian(rng: RandomStreams, stream: number): number {
  const u1 = 1 - rng.float(stream); // (0, 1]
  const u2 = rng.float(stream);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
}

/** The mean of a distribution in microseconds (for docs and sanity checks in tests). */
export function meanUs(d: Distribution): number {
  switch (d.dist) {
    case "constant":
      return d.valueUs;
    case "uniform":
      return (d.minUs + d.maxUs) / 2;
    case "exponential":
      return d.meanUs;
    case "normal":
      return d.meanUs;
    case "lognormal":
      return d.medianUs * Math.exp((d.sigma * d.sigma) / 2);
  }
}
