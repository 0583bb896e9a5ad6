// Growable typed arrays: the simulator keeps its tables in typed arrays and grows them fourfold when full,
// so recording an event never allocates an object.

type TypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float64Array;

/** A copy of `arr` with room for at least `min` elements (at least four times the length: few copies). */
export function grow<T extends TypedArray>(arr: T, min: number): T {
  const Ctor = arr.constructor as new (n: number) => T;
  const out = new Ctor(Math.max(min, arr.length * 4, 16));
  out.set(arr as never);
  return out;
}

/** The first n elements as a right-sized copy. */
export function trim<T extends TypedArray>(arr: T, n: number): T {
  return arr.slice(0, n) as T;
}

/** The first n elements as a view on the same memory (no copy). */
export function view<T extends TypedArray>(arr: T, n: number): T {
  return arr.subarray(0, n) as T;
}
