// The run summary's latency percentiles come from a sorted copy of every answered request's latency:
// counted, radix-sorted or compared depending on the values, always the same ascending order.

import { describe, expect, it } from "vitest";
import { sortedCopy } from "@/server/sim/metrics/sort";

describe("sortedCopy", () => {
  it("sorts like a comparison sort: few or many values, small or up to 2^32 - 1, fractions and negatives", () => {
    let seed = 99;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const cases: Float64Array[] = [];
    for (const n of [0, 1, 255, 256, 4097, 100_000]) {
      for (const max of [0, 1, 2047, 2048, 170_000, 2 ** 22, 2 ** 32 - 1]) cases.push(Float64Array.from({ length: n }, () => Math.floor(next() * (max + 1))));
    }
    cases.push(Float64Array.from({ length: 1000 }, () => next() * 10));
    cases.push(Float64Array.from({ length: 1000 }, (_, i) => (i === 500 ? -1 : 1000 - i)));
    cases.push(Float64Array.from({ length: 1000 }, (_, i) => (i === 500 ? 2 ** 32 : i % 7)));
    for (const values of cases) {
      const n = Math.max(0, values.length - 3); // only the first n count
      const expected = Array.from(values.subarray(0, n)).sort((a, b) => a - b);
      expect(Array.from(sortedCopy(values, n))).toEqual(expected);
    }
  });
});
