// The sandbox's hot call: a shim entry point called with (string, number), returning the effects
// string. quickjs-emscripten's callFunction/newString/getString allocate several handles and
// WebAssembly buffers per call (about a third of a delivered message's cost); this does the same
// interpreter calls (QTS_NewString, QTS_Call, QTS_GetString...) with one argument vector and one
// string buffer kept per interpreter. The guest sees exactly what callFunction gives it.

import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";

/** The parts of quickjs-emscripten's context this uses (present at run time, not in its public types). */
interface ContextInternals {
  ffi: {
    QTS_NewString(ctx: number, str: number): number;
    QTS_NewFloat64(ctx: number, num: number): number;
    QTS_Call(ctx: number, fn: number, thisObj: number, argc: number, argv: number): number;
    QTS_ResolveException(ctx: number, value: number): number;
    QTS_GetString(ctx: number, value: number): number;
    QTS_Typeof(ctx: number, value: number): number;
    QTS_FreeCString(ctx: number, str: number): void;
    QTS_FreeValuePointer(ctx: number, value: number): void;
  };
  module: {
    HEAPU8: Uint8Array;
    _malloc(size: number): number;
    _free(ptr: number): void;
    lengthBytesUTF8(str: string): number;
    stringToUTF8(str: string, ptr: number, maxBytes: number): void;
    UTF8ToString(ptr: number): string;
  };
  ctx: { value: number };
  memory: { heapValueHandle(ptr: number): QuickJSHandle };
}

/** A call's outcome: the returned string, or the thrown value (the caller disposes it). */
export type FastCallResult = { value: string; error?: undefined } | { value?: undefined; error: QuickJSHandle };

const encoder = new TextEncoder();
type WellFormed = string & { isWellFormed(): boolean };
/** Node 20 and current browsers have it; elsewhere every string takes the slower encoder. */
const hasIsWellFormed = typeof (String.prototype as Partial<WellFormed>).isWellFormed === "function";

/** The most strings one call passes (before its number). */
const MAX_TEXTS = 4;
/** Node ids kept as values per interpreter, and the longest kept. */
const MAX_KEPT = 64;
const MAX_KEPT_CHARS = 64;

export class FastCaller {
  private readonly c: ContextInternals;
  private readonly argv: number;
  private buf = 0;
  private bufBytes = 0;

  constructor(private readonly context: QuickJSContext) {
    this.c = context as unknown as ContextInternals;
    this.argv = this.c.module._malloc(4 * (MAX_TEXTS + 1));
    if (this.argv === 0) throw new Error("out of memory");
  }

  /**
   * fn(text, num). The result is read as a string: only for the shim's entry points, which return
   * the effects they built by string concatenation in a closure no program can reach.
   */
  call(fn: QuickJSHandle, text: string, num: number): FastCallResult {
    return this.callWith(fn, [text], num);
  }

  /**
   * fn(texts[0], texts[1], ..., num): the same, with up to MAX_TEXTS strings first. The first
   * `kept` strings are node ids, which recur: each id's string value is made once in the
   * interpreter and passed again (a string is a value: the guest cannot tell a kept one from a new
   * one), which saves encoding it and making and freeing it on every call.
   */
  callWith(fn: QuickJSHandle, texts: readonly string[], num: number, kept = 0): FastCallResult {
    const { ffi, module } = this.c;
    const ctx = this.c.ctx.value;
    if (texts.length > MAX_TEXTS) throw new Error(`at most ${MAX_TEXTS} strings`);
    const values = this.values;
    let first = 0;
    for (; first < kept; first++) {
      const value = this.keptValue(texts[first]!);
      if (value === 0) break;
      values[first] = value;
    }
    // Well-formed text (every JSON line is) is encoded natively; a lone surrogate the way
    // quickjs-emscripten encodes it. Each string is NUL-terminated in the one buffer.
    let bytes = 0;
    let native = hasIsWellFormed;
    for (let i = first; i < texts.length; i++) {
      const text = texts[i]!;
      if (native && !(text as WellFormed).isWellFormed()) native = false;
      bytes += 3 * text.length + 1;
    }
    if (!native) {
      bytes = 0;
      for (let i = first; i < texts.length; i++) bytes += module.lengthBytesUTF8(texts[i]!) + 1;
    }
    if (bytes > this.bufBytes) {
      if (this.buf !== 0) module._free(this.buf);
      this.bufBytes = Math.max(bytes, 2 * this.bufBytes, 1024);
      this.buf = module._malloc(this.bufBytes);
      if (this.buf === 0) {
        this.bufBytes = 0;
        throw new Error("out of memory");
      }
    }
    let at = this.buf;
    for (let i = first; i < texts.length; i++) {
      const text = texts[i]!;
      if (native) {
        const heap = module.HEAPU8;
        const written = encoder.encodeInto(text, heap.subarray(at, at + 3 * text.length)).written;
        heap[at + written] = 0;
        values[i] = ffi.QTS_NewString(ctx, at);
        at += written + 1;
      } else {
        const size = module.lengthBytesUTF8(text) + 1;
        module.stringToUTF8(text, at, size);
        values[i] = ffi.QTS_NewString(ctx, at);
        at += size;
      }
    }
    values[texts.length] = ffi.QTS_NewFloat64(ctx, num);
    return this.invoke(fn, texts.length + 1, first);
  }

  /** fn(first, num), both numbers (a timer's id and the time), the same way. */
  callNumbers(fn: QuickJSHandle, first: number, num: number): FastCallResult {
    const { ffi } = this.c;
    const ctx = this.c.ctx.value;
    this.values[0] = ffi.QTS_NewFloat64(ctx, first);
    this.values[1] = ffi.QTS_NewFloat64(ctx, num);
    return this.invoke(fn, 2, 0);
  }

  /** Calls fn with the first argc values (those from `owned` on are freed after the call) and reads its string. */
  private invoke(fn: QuickJSHandle, argc: number, owned: number): FastCallResult {
    const { ffi, module } = this.c;
    const ctx = this.c.ctx.value;
    const values = this.values;
    const heap = this.heap32();
    for (let i = 0; i < argc; i++) heap[(this.argv >> 2) + i] = values[i]!;
    const result = ffi.QTS_Call(ctx, fn.value as unknown as number, this.context.undefined.value as unknown as number, argc, this.argv);
    for (let i = owned; i < argc; i++) ffi.QTS_FreeValuePointer(ctx, values[i]!);
    const error = ffi.QTS_ResolveException(ctx, result);
    if (error !== 0) {
      ffi.QTS_FreeValuePointer(ctx, result);
      return { error: this.c.memory.heapValueHandle(error) };
    }
    const chars = ffi.QTS_GetString(ctx, result);
    const value = chars === 0 ? "" : module.UTF8ToString(chars);
    if (chars !== 0) ffi.QTS_FreeCString(ctx, chars);
    ffi.QTS_FreeValuePointer(ctx, result);
    return { value };
  }

  private readonly values: number[] = [0, 0, 0, 0, 0];

  /** Node ids' string values, made once (at most MAX_KEPT; past that an id is made per call). */
  private readonly kept = new Map<string, number>();

  /** The kept value of a short well-formed string, or 0 when it is not kept. */
  private keptValue(text: string): number {
    const value = this.kept.get(text);
    if (value !== undefined) return value;
    if (this.kept.size >= MAX_KEPT || text.length > MAX_KEPT_CHARS || !hasIsWellFormed || !(text as WellFormed).isWellFormed()) return 0;
    const { ffi, module } = this.c;
    const ptr = module._malloc(3 * text.length + 1);
    if (ptr === 0) return 0;
    const heap = module.HEAPU8;
    const written = encoder.encodeInto(text, heap.subarray(ptr, ptr + 3 * text.length)).written;
    heap[ptr + written] = 0;
    const ctx = this.c.ctx.value;
    const made = ffi.QTS_NewString(ctx, ptr);
    module._free(ptr);
    // Out of memory, the interpreter gives an exception, not a string: that is not kept (the call
    // makes the string itself, as it always did). The type's name is malloc'd, as quickjs-emscripten frees it.
    const kind = ffi.QTS_Typeof(ctx, made);
    const isString = kind !== 0 && module.UTF8ToString(kind) === "string";
    if (kind !== 0) module._free(kind);
    if (!isString) {
      ffi.QTS_FreeValuePointer(ctx, made);
      return 0;
    }
    this.kept.set(text, made);
    return made;
  }

  private view: Int32Array | null = null;
  private viewOf: Uint8Array | null = null;

  /** The interpreter's memory as 32-bit words (a new view after the memory grew: the module makes a new HEAPU8 then). */
  private heap32(): Int32Array {
    const heap = this.c.module.HEAPU8;
    if (this.view === null || this.viewOf !== heap) {
      this.view = new Int32Array(heap.buffer);
      this.viewOf = heap;
    }
    return this.view;
  }

  /** Frees the buffers (before the context is disposed). */
  dispose(): void {
    const { ffi, module } = this.c;
    for (const value of this.kept.values()) ffi.QTS_FreeValuePointer(this.c.ctx.value, value);
    this.kept.clear();
    if (this.buf !== 0) module._free(this.buf);
    module._free(this.argv);
    this.buf = 0;
    this.bufBytes = 0;
  }
}
