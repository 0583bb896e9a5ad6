// The zod schema of scenario format v1: shapes, types, ranges and defaults of every field.
// Cross-references (node ids, call cycles) are checked separately in semantic.ts, on the raw value.

import { z } from "zod";
import type { ScenarioLimits } from "../limits";
import { describeValue, parseDuration } from "./duration";
import { LIMITS } from "../limits";
import { CHECK_NAMES, NODE_WORKLOAD_KINDS, PROTOCOL_CHECK_NAMES, RANDOM_FAULT_KINDS, TOPOLOGIES } from "./types";
import { RANDOM_DEFAULTS } from "../faults/random-defaults";
import { suggest } from "./semantic";
import type { BuiltinProtocolDefinition, ParameterSpec } from "../protocols/builtin";
import { BUILTIN_PROTOCOLS, builtinProtocol } from "../protocols/registry";
import type {
  Backoff,
  ByzantineBehavior,
  Check,
  Distribution,
  Fault,
  MessageMatch,
  NodeClock,
  Operation,
  Workload,
} from "./types";

type Ctx = z.core.$RefinementCtx<unknown>;

function pushIssue(ctx: Ctx, message: string, input: unknown, path: (string | number)[] = []): void {
  ctx.issues.push({ code: "custom", message, input, path });
}

/** Runs a sub-schema inside a transform and forwards its issues (their paths are relative). */
function subParse<T>(schema: z.ZodType<T>, value: unknown, ctx: Ctx): T | typeof z.NEVER {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.issues.push(issue as never);
  return z.NEVER;
}

export function durationSchema(limits: ScenarioLimits, opts: { signed?: boolean } = {}) {
  return z.unknown().transform((v, ctx): number => {
    const r = parseDuration(v, { signed: opts.signed, maxUs: limits.maxDurationUs });
    if (!r.ok) {
      pushIssue(ctx, r.message, v);
      return z.NEVER;
    }
    return r.us;
  });
}

const SIZE_UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, KB: 1000, MB: 1000 ** 2, GB: 1000 ** 3 };

/** A size in bytes: a whole number of bytes, or text such as "32MiB" or "512 KiB". */
function sizeSchema(maxBytes: number) {
  return z.unknown().transform((v, ctx): number => {
    let bytes: number | null = null;
    if (typeof v === "number" && Number.isInteger(v) && v > 0) bytes = v;
    else if (typeof v === "string") {
      const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB)\s*$/.exec(v);
      if (m) bytes = Math.round(Number(m[1]) * SIZE_UNITS[m[2]!]!);
    }
    if (bytes === null || bytes <= 0) {
      pushIssue(ctx, `expected a size like "32MiB" or a number of bytes, got ${describeValue(v)}`, v);
      return z.NEVER;
    }
    if (bytes > maxBytes) {
      pushIssue(ctx, `at most ${maxBytes / 1024 ** 2} MiB`, v);
      return z.NEVER;
    }
    return bytes;
  });
}

const probability = z
  .number({ error: (iss) => `expected a probability between 0 and 1, got ${describeValue(iss.input)}` })
  .min(0, { error: "a probability must be between 0 and 1" })
  .max(1, { error: "a probability must be between 0 and 1" });

function wholeNumber(what: string, min: number, max: number) {
  return z
    .number({ error: (iss) => `expected ${what}, got ${describeValue(iss.input)}` })
    .int({ error: (iss) => `expected ${what}, got ${describeValue(iss.input)}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

function distributionSchema(limits: ScenarioLimits) {
  const d = durationSchema(limits);
  const obj = z.discriminatedUnion(
    "dist",
    [
      z.strictObject({ dist: z.literal("constant"), value: d }),
      z.strictObject({ dist: z.literal("uniform"), min: d, max: d }),
      z.strictObject({ dist: z.literal("exponential"), mean: d }),
      z.strictObject({ dist: z.literal("normal"), mean: d, sd: d }),
      z.strictObject({
        dist: z.literal("lognormal"),
        median: d,
        sigma: z
          .number({ error: (iss) => `expected a number (the spread of the logarithm), got ${describeValue(iss.input)}` })
          .min(0, { error: "sigma cannot be negative" })
          .max(10, { error: "sigma must be at most 10" }),
      }),
    ],
    { error: (iss) => distKindMessage(iss.input) },
  );
  return z.unknown().transform((v, ctx): Distribution => {
    if (typeof v === "number" || typeof v === "string") {
      const r = parseDuration(v, { maxUs: limits.maxDurationUs });
      if (!r.ok) {
        pushIssue(ctx, r.message + ' (or a distribution such as { dist: uniform, min: 1ms, max: 10ms })', v);
        return z.NEVER;
      }
      return { dist: "constant", valueUs: r.us };
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      pushIssue(ctx, `expected a duration like "10ms" or a distribution like { dist: uniform, min: 1ms, max: 10ms }, got ${describeValue(v)}`, v);
      return z.NEVER;
    }
    const parsed = subParse(obj, v, ctx);
    if (parsed === z.NEVER) return z.NEVER;
    const p = parsed as z.infer<typeof obj>;
    switch (p.dist) {
      case "constant":
        return { dist: "constant", valueUs: p.value };
      case "uniform":
        if (p.min > p.max) {
          pushIssue(ctx, "min must not be greater than max", v, ["min"]);
          return z.NEVER;
        }
        return { dist: "uniform", minUs: p.min, maxUs: p.max };
      case "exponential":
        return { dist: "exponential", meanUs: p.mean };
      case "normal":
        return { dist: "normal", meanUs: p.mean, sdUs: p.sd };
      case "lognormal":
        return { dist: "lognormal", medianUs: p.median, sigma: p.sigma };
    }
  });
}

function distKindMessage(input: unknown): string {
  const kinds = "constant, uniform, exponential, normal or lognormal";
  if (input && typeof input === "object" && "dist" in input) {
    return `unknown distribution ${describeValue((input as { dist: unknown }).dist)}: use ${kinds}`;
  }
  return `a distribution needs "dist": one of ${kinds}`;
}

const nodeRef = z.string({ error: (iss) => `expected a node id, got ${describeValue(iss.input)}` });

/** Keys and values are opaque; numbers and booleans are taken as their text. */
function textSchema(what: string, maxChars: number) {
  return z.unknown().transform((v, ctx): string => {
    let s: string;
    if (typeof v === "string") s = v;
    else if (typeof v === "number" || typeof v === "boolean") s = String(v);
    else {
      pushIssue(ctx, `expected ${what} (text), got ${describeValue(v)}`, v);
      return z.NEVER;
    }
    if (s.length > maxChars) {
      pushIssue(ctx, `${what} is too long: at most ${maxChars} characters`, v);
      return z.NEVER;
    }
    return s;
  });
}

const opSchema = z.enum(["read", "write"], {
  error: (iss) => `op must be read or write, got ${describeValue(iss.input)}`,
});

export function makeScenarioSchema(limits: ScenarioLimits) {
  const duration = durationSchema(limits);
  const signedDuration = durationSchema(limits, { signed: true });
  const dist = distributionSchema(limits);
  const key = textSchema("a key", limits.maxKeyChars);
  const value = textSchema("a value", limits.maxValueChars);

  const clock = z
    .strictObject({
      offset: signedDuration.optional(),
      drift: z
        .number({ error: (iss) => `expected a number (0.01 means 1% fast), got ${describeValue(iss.input)}` })
        .gt(-1, { error: "drift must be greater than -1 (a clock cannot stop or run backwards)" })
        .max(limits.maxClockDrift, { error: `drift must be at most ${limits.maxClockDrift}` })
        .optional(),
    })
    .transform((c): NodeClock => ({ offsetUs: c.offset ?? 0, drift: c.drift ?? 0 }));

  const node = z.strictObject({
    id: z.string({ error: (iss) => `expected a node id (text), got ${describeValue(iss.input)}` }),
    role: z
      .string({ error: (iss) => `expected a role name (text), got ${describeValue(iss.input)}` })
      .max(limits.maxRoleChars, { error: `a role is at most ${limits.maxRoleChars} characters` })
      .optional(),
    clock: clock.optional(),
  });

  const link = z.strictObject({
    from: nodeRef,
    to: nodeRef,
    latency: dist.optional(),
    loss: probability.optional(),
    duplicate: probability.optional(),
  });

  const network = z.strictObject({
    latency: dist.optional(),
    loss: probability.optional(),
    duplicate: probability.optional(),
    links: z
      .array(link, { error: (iss) => `expected a list of links, got ${describeValue(iss.input)}` })
      .max(limits.maxLinks, { error: `at most ${limits.maxLinks} links` })
      .optional(),
  });

  const backoff = z
    .strictObject({
      kind: z.enum(["constant", "exponential"], {
        error: (iss) => `backoff kind must be constant or exponential, got ${describeValue(iss.input)}`,
      }),
      base: duration,
      max: duration.optional(),
    })
    .transform((b): Backoff => ({ kind: b.kind, baseUs: b.base, maxUs: b.max ?? null }));

  const requestResponse = z.strictObject({
    kind: z.literal("request-response"),
    client: z
      .strictObject({
        timeout: duration.optional(),
        retries: wholeNumber("a whole number of retries", 0, limits.maxRetries).optional(),
        backoff: backoff.optional(),
      })
      .optional(),
    server: z
      .strictObject({
        processing: dist.optional(),
        concurrency: z
          .union([z.literal("unlimited"), wholeNumber("a whole number", 1, 1_000_000_000)], {
            error: (iss) => `concurrency must be a whole number >= 1 or "unlimited", got ${describeValue(iss.input)}`,
          })
          .optional(),
        dedupe: z.boolean({ error: (iss) => `expected true or false, got ${describeValue(iss.input)}` }).optional(),
        durable: z.boolean({ error: (iss) => `expected true or false, got ${describeValue(iss.input)}` }).optional(),
        calls: z
          .record(
            z.string(),
            z.array(nodeRef, { error: (iss) => `expected a list of node ids, got ${describeValue(iss.input)}` }),
            { error: (iss) => `expected a map from a node id to the nodes it calls, got ${describeValue(iss.input)}` },
          )
          .optional(),
      })
      .optional(),
  });

  const custom = z.strictObject({
    kind: z.literal("custom"),
    main: z
      .string({ error: (iss) => `expected the name of the file every program node runs, got ${describeValue(iss.input)}` })
      .min(1, { error: "name the main file" })
      .max(LIMITS.MAX_PROGRAM_FILE_NAME_CHARS, { error: `a file name is at most ${LIMITS.MAX_PROGRAM_FILE_NAME_CHARS} characters` }),
    files: z
      .record(
        z.string().max(LIMITS.MAX_PROGRAM_FILE_NAME_CHARS, { error: `a file name is at most ${LIMITS.MAX_PROGRAM_FILE_NAME_CHARS} characters` }),
        z
          .string({ error: (iss) => `expected the file's text, got ${describeValue(iss.input)}` })
          .max(limits.maxProgramFileChars, { error: `a file is at most ${limits.maxProgramFileChars} characters` }),
        { error: (iss) => `expected a map from file names to their text, got ${describeValue(iss.input)}` },
      )
      .optional(),
    limits: z
      .strictObject({
        fuel: wholeNumber("a whole number of interpreter steps", 1, limits.maxProgramFuel).optional(),
        memory: sizeSchema(limits.maxProgramMemoryBytes).optional(),
      })
      .optional(),
  });

  const protocol = z.unknown().transform((v, ctx): RawProtocol => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      pushIssue(ctx, `expected a protocol (a map with a kind), got ${describeValue(v)}`, v);
      return z.NEVER;
    }
    const kind = (v as { kind?: unknown }).kind;
    if (kind === "request-response") {
      const r = subParse(requestResponse, v, ctx);
      return r === z.NEVER ? z.NEVER : (r as RawProtocol);
    }
    if (kind === "custom") {
      const r = subParse(custom, v, ctx);
      return r === z.NEVER ? z.NEVER : (r as RawProtocol);
    }
    const builtin = typeof kind === "string" ? builtinProtocol(kind) : undefined;
    if (builtin) {
      const r = subParse(builtinSchema(builtin), v, ctx);
      return r === z.NEVER ? z.NEVER : ({ ...(r as Record<string, unknown>), kind: builtin.kind, builtin: true } as RawProtocol);
    }
    const kinds = ["request-response", "custom", ...BUILTIN_PROTOCOLS.map((p) => p.kind)];
    pushIssue(ctx, kind === undefined ? `a protocol needs a kind: one of ${kinds.join(", ")}` : `unknown protocol ${describeValue(kind)}: use one of ${kinds.join(", ")}`, kind, kind === undefined ? [] : ["kind"]);
    return z.NEVER;
  });

  /** A built-in protocol's parameters, each with its own type and range, and its bug variants. */
  function builtinSchema(def: BuiltinProtocolDefinition) {
    const shape: Record<string, z.ZodType> = {
      kind: z.literal(def.kind),
      variant: z
        .enum(def.variants.map((x) => x.name) as [string, ...string[]], { error: (iss) => `${def.kind} has no variant ${describeValue(iss.input)}: use one of ${def.variants.map((x) => x.name).join(", ")}` })
        .optional(),
    };
    for (const p of def.parameters) shape[p.name] = parameterSchema(p).optional();
    return z.strictObject(shape);
  }

  function parameterSchema(p: ParameterSpec): z.ZodType {
    switch (p.kind) {
      case "duration":
        return duration.refine((us) => (p.min === undefined || us >= p.min) && (p.max === undefined || us <= p.max), {
          error: `${p.name} must be between ${p.min === undefined ? "0" : `${p.min / 1000}ms`} and ${p.max === undefined ? "any length" : `${p.max / 1000}ms`}`,
        });
      case "integer":
        return wholeNumber(`a whole number (${p.doc})`, p.min ?? 0, p.max ?? 1_000_000);
      case "number":
        return z.number({ error: (iss) => `expected a number, got ${describeValue(iss.input)}` }).min(p.min ?? -Infinity, { error: `must be at least ${p.min}` }).max(p.max ?? Infinity, { error: `must be at most ${p.max}` });
      case "boolean":
        return z.boolean({ error: (iss) => `expected true or false, got ${describeValue(iss.input)}` });
      case "enum":
        return z.enum(p.values as [string, ...string[]], { error: (iss) => `${p.name} must be one of ${(p.values ?? []).join(", ")}, got ${describeValue(iss.input)}` });
    }
  }

  type RawBuiltin = { kind: string; builtin: true; variant?: string } & Record<string, unknown>;
  type RawProtocol = z.infer<typeof requestResponse> | z.infer<typeof custom> | RawBuiltin;

  const nodeWorkload = z.strictObject({
    kind: z.enum(NODE_WORKLOAD_KINDS, { error: (iss) => `workload kind must be one of ${NODE_WORKLOAD_KINDS.join(", ")}, got ${describeValue(iss.input)}` }),
    clients: wholeNumber("a whole number of clients", 1, limits.maxWorkloadClients).optional(),
    rate: z
      .number({ error: (iss) => `expected operations per second, got ${describeValue(iss.input)}` })
      .gt(0, { error: "rate must be more than 0" })
      .max(limits.maxWorkloadRate, { error: `rate is at most ${limits.maxWorkloadRate} per second` })
      .optional(),
    start: duration.optional(),
    duration: duration.optional(),
    timeout: duration.optional(),
    recovery: duration.optional(),
    topology: z.enum(TOPOLOGIES, { error: (iss) => `topology must be one of ${TOPOLOGIES.join(", ")}, got ${describeValue(iss.input)}` }).optional(),
    keys: wholeNumber("a whole number of keys", 1, LIMITS.MAX_WORKLOAD_KEYS).optional(),
  });

  const openLoop = z.strictObject({
    client: nodeRef,
    server: nodeRef,
    op: opSchema,
    key,
    value: value.optional(),
    count: wholeNumber("a whole number of requests", 1, limits.maxWorkloadCount).optional(),
    interval: duration.optional(),
    start: duration.optional(),
  });

  const closedLoop = z.strictObject({
    clients: z.union([z.literal("all"), z.array(nodeRef).min(1, { error: "list at least one client" })], {
      error: (iss) => `clients must be "all" or a list of node ids, got ${describeValue(iss.input)}`,
    }),
    target: z
      .union([z.literal("random"), nodeRef, z.array(nodeRef).min(1, { error: "list at least one target" })], {
        error: (iss) => `target must be "random", a node id or a list of node ids, got ${describeValue(iss.input)}`,
      })
      .optional(),
    outstanding: wholeNumber("a whole number of requests", 1, limits.maxOutstanding).optional(),
    op: opSchema,
    key,
    value: value.optional(),
    start: duration.optional(),
  });

  type RawWorkload =
    | (z.infer<typeof openLoop> & { loop: "open" })
    | (z.infer<typeof closedLoop> & { loop: "closed" })
    | (z.infer<typeof nodeWorkload> & { loop: "kind" });

  const workloadEntry = z.unknown().transform((v, ctx): RawWorkload => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      pushIssue(ctx, `expected a workload entry (a map), got ${describeValue(v)}`, v);
      return z.NEVER;
    }
    if ("kind" in v) {
      const r = subParse(nodeWorkload, v, ctx);
      return r === z.NEVER ? z.NEVER : { ...(r as z.infer<typeof nodeWorkload>), loop: "kind" };
    }
    const hasClient = "client" in v;
    const hasClients = "clients" in v;
    if (hasClient && hasClients) {
      pushIssue(ctx, 'give either "client" (open loop) or "clients" (closed loop), not both', v);
      return z.NEVER;
    }
    if (!hasClient && !hasClients) {
      pushIssue(
        ctx,
        'a workload entry needs "client" and "server" (open loop), "clients" (closed loop), or a "kind" (a workload for programs)',
        v,
      );
      return z.NEVER;
    }
    const entry = v as Record<string, unknown>;
    if (entry.op === "read" && entry.value !== undefined) {
      pushIssue(ctx, "a read takes no value (only writes do)", entry.value, ["value"]);
    }
    if (entry.op === "write" && entry.value === undefined) {
      pushIssue(ctx, "a write needs a value", v, []);
    }
    if (hasClient) {
      const r = subParse(openLoop, v, ctx);
      return r === z.NEVER ? z.NEVER : { ...(r as z.infer<typeof openLoop>), loop: "open" };
    }
    const r = subParse(closedLoop, v, ctx);
    return r === z.NEVER ? z.NEVER : { ...(r as z.infer<typeof closedLoop>), loop: "closed" };
  });

  const match = z
    .strictObject({
      from: nodeRef.optional(),
      to: nodeRef.optional(),
      type: z
        .string({ error: (iss) => `expected a message type (request, response, or a program's body type), got ${describeValue(iss.input)}` })
        .min(1, { error: "the message type cannot be empty" })
        .max(64, { error: "a message type is at most 64 characters" })
        .optional(),
      nth: wholeNumber("a whole number (1 is the first)", 1, 1_000_000_000).optional(),
    })
    .transform(
      (m): MessageMatch => ({ from: m.from ?? null, to: m.to ?? null, type: m.type ?? null, nth: m.nth ?? null }),
    );

  const win = { from: duration.optional(), until: duration.optional() };
  const nodeField = nodeRef;
  const faultObj = z.discriminatedUnion(
    "kind",
    [
      z.strictObject({ kind: z.literal("drop"), match: match.optional(), probability: probability.optional(), ...win }),
      z.strictObject({ kind: z.literal("delay"), match: match.optional(), by: dist, ...win }),
      z.strictObject({ kind: z.literal("duplicate"), match: match.optional(), ...win }),
      z.strictObject({ kind: z.literal("crash"), node: nodeField, at: duration, restart: duration.optional() }),
      z.strictObject({
        kind: z.literal("slow"),
        node: nodeField,
        factor: z
          .number({ error: (iss) => `expected a number >= 1, got ${describeValue(iss.input)}` })
          .min(1, { error: "factor must be at least 1 (1 means normal speed)" })
          .max(limits.maxSlowFactor, { error: `factor must be at most ${limits.maxSlowFactor}` }),
        ...win,
      }),
      z.strictObject({
        kind: z.literal("partition"),
        groups: z
          .array(
            z.array(nodeRef, { error: (iss) => `expected a list of node ids, got ${describeValue(iss.input)}` }).min(1, {
              error: "a group needs at least one node",
            }),
            { error: (iss) => `expected a list of groups (lists of node ids), got ${describeValue(iss.input)}` },
          )
          .min(1, { error: "list at least one group" }),
        ...win,
      }),
      z.strictObject({
        kind: z.literal("byzantine"),
        node: nodeField,
        behavior: z.enum(["lie", "equivocate", "silent", "replay", "random"], {
          error: (iss) =>
            `behavior must be one of lie, equivocate, silent, replay, random, got ${describeValue(iss.input)}`,
        }),
        ...win,
      }),
      z.strictObject({
        kind: z.literal("clock"),
        node: nodeField,
        offset: signedDuration.optional(),
        drift: z
          .number({ error: (iss) => `expected a number (0.01 means 1% fast), got ${describeValue(iss.input)}` })
          .gt(-1, { error: "drift must be greater than -1 (a clock cannot stop or run backwards)" })
          .max(limits.maxClockDrift, { error: `drift must be at most ${limits.maxClockDrift}` })
          .optional(),
        ...win,
      }),
      z.strictObject({ kind: z.literal("pause"), node: nodeField, ...win }),
      z.strictObject({
        kind: z.literal("random"),
        kinds: z
          .array(
            z.enum(RANDOM_FAULT_KINDS, { error: (iss) => `the random nemesis draws ${RANDOM_FAULT_KINDS.join(", ")}; got ${describeValue(iss.input)}` }),
            { error: (iss) => `expected a list of fault kinds, got ${describeValue(iss.input)}` },
          )
          .min(1, { error: "list at least one kind" })
          .optional(),
        nodes: z.array(nodeRef, { error: (iss) => `expected a list of node ids, got ${describeValue(iss.input)}` }).min(1, { error: "list at least one node" }).optional(),
        every: duration.refine((us) => us > 0, { error: "every must be longer than 0" }).optional(),
        length: z
          .union([z.strictObject({ min: duration, max: duration }), duration], { error: (iss) => `expected a duration or { min, max }, got ${describeValue(iss.input)}` })
          .optional(),
        quiet: duration.optional(),
        max: wholeNumber("a whole number of faults", 1, LIMITS.MAX_RANDOM_FAULTS).optional(),
        ...win,
      }),
    ],
    {
      error: (iss) => {
        const input = iss.input as Record<string, unknown> | undefined;
        const kinds = "drop, delay, duplicate, crash, slow, partition, byzantine, clock, pause, random";
        if (input && typeof input === "object" && input.kind !== undefined) {
          return `unknown fault kind ${describeValue(input.kind)}: use one of ${kinds}`;
        }
        if (input === undefined || input === null || typeof input !== "object" || Array.isArray(input)) {
          return `expected a fault (a map with a kind), got ${describeValue(input)}`;
        }
        return `a fault needs a kind: one of ${kinds}`;
      },
    },
  );

  const fault = faultObj.transform((f, ctx): Fault => {
    if ("from" in f || "until" in f) {
      const w = f as { from?: number; until?: number };
      if (w.from !== undefined && w.until !== undefined && w.until <= w.from) {
        pushIssue(ctx, "until must be later than from", w.until, ["until"]);
      }
    }
    const fromUs = "from" in f && f.from !== undefined ? f.from : 0;
    const untilUs = "until" in f && f.until !== undefined ? f.until : null;
    const none: MessageMatch = { from: null, to: null, type: null, nth: null };
    switch (f.kind) {
      case "drop":
        return { kind: "drop", match: f.match ?? none, probability: f.probability ?? 1, fromUs, untilUs };
      case "delay":
        return { kind: "delay", match: f.match ?? none, by: f.by, fromUs, untilUs };
      case "duplicate":
        return { kind: "duplicate", match: f.match ?? none, fromUs, untilUs };
      case "crash":
        return { kind: "crash", node: f.node, atUs: f.at, restartUs: f.restart ?? null };
      case "slow":
        return { kind: "slow", node: f.node, factor: f.factor, fromUs, untilUs };
      case "partition":
        return { kind: "partition", groups: f.groups, fromUs, untilUs };
      case "byzantine":
        return { kind: "byzantine", node: f.node, behavior: f.behavior as ByzantineBehavior, fromUs, untilUs };
      case "clock":
        return { kind: "clock", node: f.node, offsetUs: f.offset ?? 0, drift: f.drift ?? 0, fromUs, untilUs };
      case "pause":
        return { kind: "pause", node: f.node, fromUs, untilUs };
      case "random": {
        const len = f.length === undefined ? { min: RANDOM_DEFAULTS.lengthMinUs, max: RANDOM_DEFAULTS.lengthMaxUs } : typeof f.length === "number" ? { min: f.length, max: f.length } : f.length;
        if (len.min > len.max) pushIssue(ctx, "min must not be greater than max", f.length, ["length", "min"]);
        if (len.max <= 0) pushIssue(ctx, "a fault must last longer than 0", f.length, ["length"]);
        return {
          kind: "random",
          kinds: f.kinds ? [...new Set(f.kinds)] : [...RANDOM_FAULT_KINDS],
          nodes: f.nodes ?? null,
          everyUs: f.every ?? RANDOM_DEFAULTS.everyUs,
          lengthMinUs: len.min,
          lengthMaxUs: len.max,
          quietUs: f.quiet ?? -1,
          max: f.max ?? RANDOM_DEFAULTS.max,
          fromUs,
          untilUs,
        };
      }
    }
  });

  const withinParams = z.strictObject({ within: duration.optional() });
  const latencyParams = z
    .strictObject({ p50: duration.optional(), p99: duration.optional(), max: duration.optional() })
    .refine((p) => p.p50 !== undefined || p.p99 !== undefined || p.max !== undefined, {
      error: "give at least one bound: p50, p99 or max",
    });

  const checkEntry = z.unknown().transform((v, ctx): Check => {
    const names = CHECK_NAMES.join(", ");
    let name: string;
    let params: unknown = undefined;
    if (typeof v === "string") name = v;
    else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length !== 1) {
        pushIssue(ctx, `a check with parameters is a map with one key, like { latency: { p99: 500ms } }`, v);
        return z.NEVER;
      }
      name = keys[0] as string;
      params = (v as Record<string, unknown>)[name];
      if (params === null) params = undefined;
    } else {
      pushIssue(ctx, `expected a check name (${names}), got ${describeValue(v)}`, v);
      return z.NEVER;
    }
    const at = typeof v === "string" ? [] : [name];
    switch (name) {
      case "all-complete":
      case "exactly-once": {
        const p = params === undefined ? {} : subParseAt(withinParams, params, ctx, at);
        if (p === z.NEVER) return z.NEVER;
        return { name, withinUs: (p as { within?: number }).within ?? null };
      }
      case "at-most-once":
      case "correct-responses":
      case "echo":
      case "unique-ids":
      case "set-full":
      case "counter":
      case "linearizable":
        if (params !== undefined && !(typeof params === "object" && Object.keys(params as object).length === 0)) {
          pushIssue(ctx, `${name} takes no parameters`, params, at);
          return z.NEVER;
        }
        return { name };
      case "latency": {
        if (params === undefined) {
          pushIssue(ctx, "latency needs bounds, like { latency: { p99: 500ms } }", v, at);
          return z.NEVER;
        }
        const p = subParseAt(latencyParams, params, ctx, at);
        if (p === z.NEVER) return z.NEVER;
        const q = p as { p50?: number; p99?: number; max?: number };
        return { name: "latency", p50Us: q.p50 ?? null, p99Us: q.p99 ?? null, maxUs: q.max ?? null };
      }
      default:
        if ((PROTOCOL_CHECK_NAMES as readonly string[]).includes(name)) {
          if (params !== undefined && !(typeof params === "object" && Object.keys(params as object).length === 0)) {
            pushIssue(ctx, `${name} takes no parameters`, params, at);
            return z.NEVER;
          }
          return { name } as Check;
        }
        pushIssue(ctx, `unknown check "${name}"${suggest(name, CHECK_NAMES)}: see the checks of your protocol in the format's reference`, v, at);
        return z.NEVER;
    }
  });

  return z.strictObject({
    version: z.unknown().transform((v, ctx): 1 => {
      if (v === 1) return 1;
      if (v === undefined) pushIssue(ctx, 'missing required field "version" (write version: 1)', v);
      else pushIssue(ctx, `version must be 1 (this simulator reads format version 1), got ${describeValue(v)}`, v);
      return z.NEVER;
    }),
    name: z
      .string({ error: (iss) => (iss.input === undefined ? 'missing required field "name"' : `expected a title (text), got ${describeValue(iss.input)}`) })
      .min(1, { error: "the name cannot be empty" })
      .max(limits.maxNameChars, { error: `the name is at most ${limits.maxNameChars} characters` }),
    description: z
      .string({ error: (iss) => `expected Markdown text, got ${describeValue(iss.input)}` })
      .max(limits.maxDescriptionChars, { error: `the description is at most ${limits.maxDescriptionChars} characters` })
      .nullable()
      .optional(),
    seed: wholeNumber("an unsigned 32-bit whole number", 0, 4294967295).optional(),
    until: duration
      .refine((us) => us > 0, { error: "until must be more than 0s: a run that stops at 0s never starts (leave it out for 60s)" })
      .optional(),
    maxEvents: wholeNumber("a whole number of events", 1, limits.maxEvents).optional(),
    nodes: z
      .array(node, { error: (iss) => (iss.input === undefined ? 'missing required field "nodes"' : `expected a list of nodes, got ${describeValue(iss.input)}`) })
      .min(1, { error: "list at least one node" })
      .max(limits.maxNodes, { error: `at most ${limits.maxNodes} nodes` }),
    network: network.optional(),
    protocol: protocol,
    workload: z
      .array(workloadEntry, { error: (iss) => `expected a list of workload entries, got ${describeValue(iss.input)}` })
      .max(limits.maxWorkloadEntries, { error: `at most ${limits.maxWorkloadEntries} workload entries` })
      .nullable()
      .optional(),
    faults: z
      .array(fault, { error: (iss) => `expected a list of faults, got ${describeValue(iss.input)}` })
      .max(limits.maxFaults, { error: `at most ${limits.maxFaults} faults` })
      .nullable()
      .optional(),
    checks: z
      .array(checkEntry, { error: (iss) => `expected a list of checks, got ${describeValue(iss.input)}` })
      .max(limits.maxChecks, { error: `at most ${limits.maxChecks} checks` })
      .nullable()
      .optional(),
  });

  function subParseAt<T>(schema: z.ZodType<T>, value: unknown, ctx: Ctx, at: (string | number)[]): T | typeof z.NEVER {
    const r = schema.safeParse(value, { reportInput: true });
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      ctx.issues.push({ ...issue, path: [...at, ...issue.path] } as never);
    }
    return z.NEVER;
  }
}

export type RawScenario = z.output<ReturnType<typeof makeScenarioSchema>>;
export type RawWorkloadEntry = NonNullable<RawScenario["workload"]>[number];
export type { Operation, Workload };
