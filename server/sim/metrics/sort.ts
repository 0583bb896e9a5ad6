// Sorting latencies fast: whole microseconds below 2^32 are counted (values up to a few times as
// many as there are: one pass counts each value, one writes them out in order) or else radix-sorted
// (one pass counts every digit, then a pass per digit, as few digits of at most 11 bits as the
// largest value needs); anything else falls back to the typed array's own sort. Same result every
// way: ascending values.

const MAX_DIGIT_BITS = 11;

/** A sorted copy of the first n values. */
export function sortedCopy(values: Float64Array, n: number): Float64Array {
  if (n < 256) return values.slice(0, n).sort();
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v <= 0xffffffff && v === Math.floor(v))) return values.slice(0, n).sort();
    if (v > max) max = v;
  }
  const out = new Float64Array(n);
  if (max < Math.max(1 << 16, 4 * n)) countingSort(values, n, max, out);
  else radixSort(Uint32Array.from(values.subarray(0, n)), max, out);
  return out;
}

/** Counting sort of n whole numbers in [0, max]; the sorted values land in out. */
function countingSort(values: Float64Array, n: number, max: number, out: Float64Array): void {
  const counts = new Uint32Array(max + 1);
  for (let i = 0; i < n; i++) counts[values[i]!]!++;
  let k = 0;
  for (let v = 0; v <= max; v++) {
    for (let c = counts[v]!; c > 0; c--) out[k++] = v;
  }
}

/** LSD radix sort of 32-bit unsigned keys no larger than max; the sorted keys land in out. */
function radixSort(keys: Uint32Array, max: number, out: Float64Array): void {
  const n = keys.length;
  const bits = max === 0 ? 1 : 32 - Math.clz32(max);
  const passes = Math.ceil(bits / MAX_DIGIT_BITS);
  const width = Math.ceil(bits / passes);
  const buckets = 1 << width;
  const mask = buckets - 1;
  // Every digit's counts in one pass over the keys.
  const counts = new Uint32Array(buckets * passes);
  if (passes === 1) for (let i = 0; i < n; i++) counts[keys[i]!]!++;
  else if (passes === 2) {
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      counts[k & mask]!++;
      counts[buckets + (k >>> width)]!++;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      for (let d = 0, shift = 0; d < passes; d++, shift += width) counts[d * buckets + ((k >>> shift) & mask)]!++;
    }
  }
  let src: Uint32Array = keys;
  let dst: Uint32Array = passes > 1 ? new Uint32Array(n) : keys;
  for (let d = 0, shift = 0; d < passes; d++, shift += width) {
    const base = d * buckets;
    let sum = 0;
    for (let b = 0; b < buckets; b++) {
      const c = counts[base + b]!;
      counts[base + b] = sum;
      sum += c;
    }
    if (d === passes - 1) {
      for (let i = 0; i < n; i++) {
        const k = src[i]!;
        out[counts[base + ((k >>> shift) & mask)]!++] = k;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const k = src[i]!;
      dst[counts[base + ((k >>> shift) & mask)]!++] = k;
    }
    const t = src;
    src = dst;
    dst = t;
  }
}
