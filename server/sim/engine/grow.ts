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

type ColumnConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float64ArrayConstructor;

type Columns<C extends readonly ColumnConstructor[]> = { [K in keyof C]: InstanceType<C[K]> };

/**
 * Typed arrays of n elements each, of the given kinds, laid out in one ArrayBuffer. A table's
 * columns are reserved in one allocation: V8 may collect garbage after every large allocation of
 * memory outside its heap, and a run reserving its tables column by column set off dozens of
 * collections (tens of ms) before its first event. Grown columns get buffers of their own.
 */
export function columns<const C extends readonly ColumnConstructor[]>(n: number, ...ctors: C): Columns<C> {
  const size = (c: ColumnConstructor) => Math.ceil((n * c.BYTES_PER_ELEMENT) / 8) * 8;
  let total = 0;
  for (const c of ctors) total += size(c);
  const buffer = new ArrayBuffer(total);
  let offset = 0;
  return ctors.map((c) => {
    const col = new c(buffer, offset, n);
    offset += size(c);
    return col;
  }) as unknown as Columns<C>;
}
