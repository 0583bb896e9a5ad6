// Sorting latencies fast: whole microseconds below 2^32 are radix-sorted (four byte passes, linear),
// anything else falls back to the typed array's own sort. Same result either way: ascending values.

/** A sorted copy of the first n values. */
export function sortedCopy(values: Float64Array, n: number): Float64Array {
  const out = values.slice(0, n);
  if (n < 256 || !wholeUint32(out)) return out.sort();
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) keys[i] = out[i]!;
  radixSort(keys);
  for (let i = 0; i < n; i++) out[i] = keys[i]!;
  return out;
}

function wholeUint32(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v <= 0xffffffff && v === Math.floor(v))) return false;
  }
  return true;
}

/** LSD radix sort of 32-bit unsigned keys, in place. */
function radixSort(keys: Uint32Array): void {
  const n = keys.length;
  let src: Uint32Array = keys;
  let dst: Uint32Array = new Uint32Array(n);
  const counts = new Uint32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(src[i]! >>> shift) & 0xff]!++;
    if (counts[(src[0]! >>> shift) & 0xff] === n) continue; // every key has the same byte here
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = src[i]!;
      dst[counts[(k >>> shift) & 0xff]!++] = k;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== keys) keys.set(src);
}
