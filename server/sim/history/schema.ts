// The zod schema of a history: every field's type, range and length, each operation's input and
// output by its model and op, and return >= call. Every problem is reported, each with its path.

import { z } from "zod";
import { describeValue } from "../scenario/duration";
import { suggest } from "../scenario/semantic";
import type { HistoryLimits } from "./limits";
import { HISTORY_MODELS, MODEL_OPERATIONS, type History, type HistoryModel, type HistoryOperation } from "./types";

type Ctx = z.core.$RefinementCtx<unknown>;
type Path = (string | number)[];

function pushIssue(ctx: Ctx, message: string, input: unknown, path: Path = []): void {
  ctx.issues.push({ code: "custom", message, input, path });
}

/** Runs a sub-schema inside a transform and forwards its issues under `prefix`. */
function subParse<T>(schema: z.ZodType<T>, value: unknown, ctx: Ctx, prefix: Path = []): { ok: true; data: T } | { ok: false } {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return { ok: true, data: r.data };
  for (const issue of r.error.issues) ctx.issues.push({ ...issue, path: [...prefix, ...issue.path] } as never);
  return { ok: false };
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function text(what: string, maxChars: number, opts: { empty?: boolean } = {}) {
  return z.unknown().transform((v, ctx): string => {
    if (typeof v !== "string") pushIssue(ctx, `expected ${what}, got ${describeValue(v)}`, v);
    else if (v.length > maxChars) pushIssue(ctx, `${what} is ${v.length} characters long; the limit is ${maxChars}`, v);
    else if (!opts.empty && v === "") pushIssue(ctx, `${what} may not be empty`, v);
    else return v;
    return z.NEVER;
  });
}

function keySchema(limits: HistoryLimits) {
  return z.unknown().transform((v, ctx): string | number => {
    if (typeof v === "number" && Number.isSafeInteger(v)) return v;
    if (typeof v === "string" && v.length <= limits.maxKeyChars) return v;
    if (typeof v === "string") pushIssue(ctx, `a key is ${v.length} characters long; the limit is ${limits.maxKeyChars}`, v);
    else pushIssue(ctx, `expected a key (text or a whole number), got ${describeValue(v)}`, v);
    return z.NEVER;
  });
}

function registerValue(limits: HistoryLimits) {
  return z.unknown().transform((v, ctx): string | number | boolean | null => {
    if (v === null || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) return v;
    if (typeof v === "string" && v.length <= limits.maxValueChars) return v;
    if (typeof v === "string") pushIssue(ctx, `a value is ${v.length} characters long; the limit is ${limits.maxValueChars}`, v);
    else pushIssue(ctx, `expected a value (text, a number, true, false or null), got ${describeValue(v)}`, v);
    return z.NEVER;
  });
}

const time = z.unknown().transform((v, ctx): number => {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  pushIssue(ctx, `expected a time (a number), got ${describeValue(v)}`, v);
  return z.NEVER;
});

/** Any value, but present: a missing field is reported (zod's unknown() would make it optional). */
const present = z.unknown().transform((v, ctx): unknown => {
  if (v === undefined) pushIssue(ctx, "missing", v);
  return v;
});

const returnTime = z.unknown().transform((v, ctx): number | null => {
  if (v === null || (typeof v === "number" && Number.isFinite(v))) return v;
  pushIssue(ctx, `expected a time (a number), or null for an operation that never returned, got ${describeValue(v)}`, v);
  return z.NEVER;
});

function clientSchema(limits: HistoryLimits) {
  return z.unknown().transform((v, ctx): number | string => {
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
    if (typeof v === "string" && v !== "" && v.length <= limits.maxClientChars) return v;
    pushIssue(ctx, `expected a client (a whole number from 0, or a name of at most ${limits.maxClientChars} characters), got ${describeValue(v)}`, v);
    return z.NEVER;
  });
}

/** The input schema of each op of each model. */
function inputSchemas(limits: HistoryLimits): Record<string, z.ZodType<HistoryOperation["input"]>> {
  const key = keySchema(limits).optional();
  const reg = registerValue(limits);
  const kvText = text("a value (text)", limits.maxValueChars, { empty: true });
  return {
    read: z.strictObject({ op: z.literal("read"), key }),
    write: z.strictObject({ op: z.literal("write"), key, value: reg }),
    cas: z.strictObject({ op: z.literal("cas"), key, from: reg, to: reg }),
    get: z.strictObject({ op: z.literal("get"), key }),
    put: z.strictObject({ op: z.literal("put"), key, value: kvText }),
    append: z.strictObject({ op: z.literal("append"), key, value: kvText }),
  } as Record<string, z.ZodType<HistoryOperation["input"]>>;
}

/** The output schema of each op (when the output is known). */
function outputSchemas(limits: HistoryLimits): Record<string, z.ZodType<HistoryOperation["output"]>> {
  const done = z.strictObject({});
  return {
    read: z.strictObject({ value: registerValue(limits) }),
    write: done,
    cas: z.strictObject({
      ok: z.unknown().transform((v, ctx): boolean => {
        if (typeof v === "boolean") return v;
        pushIssue(ctx, `expected true or false, got ${describeValue(v)}`, v);
        return z.NEVER;
      }),
    }),
    get: z.strictObject({ value: text("a value (text)", limits.maxValueChars, { empty: true }) }),
    put: done,
    append: done,
  } as Record<string, z.ZodType<HistoryOperation["output"]>>;
}

const OUTPUT_SHAPES: Record<string, string> = {
  read: "{ value }",
  write: "{}",
  cas: "{ ok }",
  get: "{ value }",
  put: "{}",
  append: "{}",
};

/** One operation of `model` (null: the model is not known, so inputs and outputs are not checked). */
function operationSchema(model: HistoryModel | null, limits: HistoryLimits) {
  const shape = z.strictObject({
    client: clientSchema(limits),
    call: time,
    return: returnTime,
    input: present,
    output: present,
  });
  const inputs = inputSchemas(limits);
  const outputs = outputSchemas(limits);
  return z.unknown().transform((v, ctx): HistoryOperation => {
    if (!isMap(v)) {
      pushIssue(ctx, `an operation is a map with client, call, return, input and output, got ${describeValue(v)}`, v);
      return z.NEVER;
    }
    const base = subParse(shape, v, ctx);
    let ok = base.ok;
    const pending = v.return === null;
    if (base.ok && base.data.return !== null && base.data.return < base.data.call) {
      pushIssue(ctx, `returns at ${base.data.return}, before its call at ${base.data.call}`, v.return, ["return"]);
      ok = false;
    }
    if (pending && v.output !== null && v.output !== undefined) {
      pushIssue(ctx, "an operation that never returned has no output: give output: null", v.output, ["output"]);
      ok = false;
    }
    if (model === null || v.input === undefined) return z.NEVER;
    const input = v.input;
    if (!isMap(input)) {
      pushIssue(ctx, `an input is a map with op (${MODEL_OPERATIONS[model].join(", ")}), got ${describeValue(input)}`, input, ["input"]);
      return z.NEVER;
    }
    const op = input.op;
    const known: readonly string[] = MODEL_OPERATIONS[model];
    if (typeof op !== "string" || !known.includes(op)) {
      const what = typeof op === "string" ? `"${op}" is not an operation of the ${model} model` : `expected an operation of the ${model} model, got ${describeValue(op)}`;
      const hint = typeof op === "string" ? suggest(op, known) : "";
      pushIssue(ctx, `${what}: ${known.slice(0, -1).join(", ")} or ${known[known.length - 1]}${hint}`, op, ["input", "op"]);
      return z.NEVER;
    }
    const parsedInput = subParse(inputs[op]!, input, ctx, ["input"]);
    ok &&= parsedInput.ok;
    let output: HistoryOperation["output"] = null;
    if (v.output !== null && v.output !== undefined && !pending) {
      if (!isMap(v.output)) {
        pushIssue(ctx, `the output of ${op} is ${OUTPUT_SHAPES[op]}, or null when unknown; got ${describeValue(v.output)}`, v.output, ["output"]);
        ok = false;
      } else {
        const parsedOutput = subParse(outputs[op]!, v.output, ctx, ["output"]);
        if (parsedOutput.ok) output = parsedOutput.data;
        else ok = false;
      }
    }
    if (!ok || !base.ok || !parsedInput.ok) return z.NEVER;
    return { ...base.data, input: parsedInput.data, output };
  });
}

/** The whole history under `limits`. */
export function makeHistorySchema(limits: HistoryLimits) {
  const modelSchema = z.unknown().transform((v, ctx): HistoryModel => {
    if (typeof v === "string" && (HISTORY_MODELS as readonly string[]).includes(v)) return v as HistoryModel;
    const hint = typeof v === "string" ? suggest(v, HISTORY_MODELS) : "";
    pushIssue(ctx, `expected a model, ${HISTORY_MODELS.map((m) => `"${m}"`).join(" or ")}, got ${describeValue(v)}${hint}`, v);
    return z.NEVER;
  });
  const top = z.strictObject({ model: modelSchema, operations: present });
  const perModel = {
    register: operationSchema("register", limits),
    kv: operationSchema("kv", limits),
    unknown: operationSchema(null, limits),
  };
  return z.unknown().transform((v, ctx): History => {
    if (!isMap(v)) {
      pushIssue(ctx, `a history is a map with "model" and "operations", got ${describeValue(v)}`, v);
      return z.NEVER;
    }
    const head = subParse(top, v, ctx);
    // An unknown field beside a good model should not stop the operations being checked against it.
    const model = head.ok ? head.data.model : modelSchema.safeParse(v.model).data;
    const ops = v.operations;
    if (ops === undefined) return z.NEVER; // reported as missing by `top`
    if (!Array.isArray(ops)) {
      pushIssue(ctx, `expected a list of operations, got ${describeValue(ops)}`, ops, ["operations"]);
      return z.NEVER;
    }
    if (ops.length > limits.maxOperations) {
      pushIssue(ctx, `${ops.length} operations; the limit is ${limits.maxOperations}`, ops.length, ["operations"]);
      return z.NEVER;
    }
    const schema = model ? perModel[model] : perModel.unknown;
    const operations: HistoryOperation[] = [];
    let ok = head.ok;
    for (let i = 0; i < ops.length; i++) {
      const r = subParse(schema, ops[i], ctx, ["operations", i]);
      if (r.ok) operations.push(r.data);
      else ok = false;
    }
    if (!ok || !head.ok) return z.NEVER;
    return { model: head.data.model, operations } as History;
  });
}
