// The history format (docs/histories.md): the spec's example, every problem with its path, limits,
// writing and reading back, and fuzzing: the parser never throws, whatever it is given.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  describeOperation,
  effectiveHistoryLimits,
  HISTORY_LIMITS,
  historyToJson,
  parseHistoryText,
  validateHistory,
  type History,
  type HistoryProblem,
} from "@/server/sim";
import { readValidHistory } from "@/server/sim/history/fast-path";
import { jsonErrorOffset } from "@/server/sim/history/json-position";
import { makeHistorySchema } from "@/server/sim/history/schema";
import { SPEC_EXAMPLE } from "./history-helpers";

function problems(value: unknown): string[] {
  const r = typeof value === "string" ? parseHistoryText(value) : validateHistory(value);
  if (r.ok) throw new Error("expected problems");
  return r.problems.map((p: HistoryProblem) => (p.path ? `${p.path}: ${p.message}` : p.message));
}

const op = (fields: Record<string, unknown>) => ({ client: 0, call: 0, return: 1, output: {}, ...fields });

describe("reading a history", () => {
  it("reads the spec's example", () => {
    const r = parseHistoryText(SPEC_EXAMPLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.history.model).toBe("register");
    expect(r.history.operations).toHaveLength(4);
    expect(r.history.operations[3]).toEqual({ client: 3, call: 4, return: null, input: { op: "write", key: "x", value: 9 }, output: null });
  });

  it("reads a kv history with text clients, number keys and unknown outputs", () => {
    const r = validateHistory({
      model: "kv",
      operations: [
        op({ client: "c1", input: { op: "append", key: 1, value: "a" } }),
        op({ client: "c2", call: 1, return: 3, input: { op: "get", key: 1 }, output: null }),
        op({ client: "c2", call: 4, return: 5, input: { op: "put", value: "" } }),
      ],
    });
    expect(r.ok).toBe(true);
  });

  it("reports every problem with its path", () => {
    const found = problems({
      model: "register",
      extra: 1,
      operations: [
        op({ input: { op: "rea", key: "x" } }),
        op({ call: 5, return: 3, input: { op: "write" } }),
        op({ return: null, input: { op: "read" }, output: { value: 1 } }),
        op({ client: -1, call: "soon", input: { op: "cas", from: 1, to: 2, by: 3 }, output: { ok: "yes" } }),
        op({ input: { op: "read", key: null }, output: { value: [1] } }),
        op({ input: { op: "write", value: 1 }, output: { ok: true } }),
        { client: 0, call: 0, return: 1, input: { op: "read" } },
        "read x",
      ],
    });
    expect(found).toEqual([
      'extra: unknown field "extra"',
      'operations[0].input.op: "rea" is not an operation of the register model: read, write or cas (did you mean "read"?)',
      "operations[1].return: returns at 3, before its call at 5",
      'operations[1].input.value: missing required field "value"',
      "operations[2].output: an operation that never returned has no output: give output: null",
      "operations[3].client: expected a client (a whole number from 0, or a name of at most 64 characters), got -1",
      'operations[3].call: expected a time (a number), got "soon"',
      'operations[3].input.by: unknown field "by"',
      'operations[3].output.ok: expected true or false, got "yes"',
      "operations[4].input.key: expected a key (text or a whole number), got null",
      "operations[4].output.value: expected a value (text, a number, true, false or null), got a list",
      'operations[5].output.ok: unknown field "ok"',
      'operations[6].output: missing required field "output"',
      "operations[7]: an operation is a map with client, call, return, input and output, got \"read x\"",
    ]);
  });

  it("checks operations against their model", () => {
    expect(problems({ model: "kv", operations: [op({ input: { op: "write", value: "a" } })] })).toEqual([
      'operations[0].input.op: "write" is not an operation of the kv model: get, put or append',
    ]);
    expect(problems({ model: "kv", operations: [op({ input: { op: "append", value: 5 } })] })).toEqual([
      "operations[0].input.value: expected a value (text), got 5",
    ]);
    expect(problems({ model: "queue", operations: [op({ client: 1.5, input: { op: "enqueue" } })] })).toEqual([
      'model: expected a model, "register" or "kv", got "queue"',
      "operations[0].client: expected a client (a whole number from 0, or a name of at most 64 characters), got 1.5",
    ]);
  });

  it("reports the document's shape, JSON syntax with line and column, and emptiness", () => {
    expect(problems("[]")).toEqual(['a history is a map with "model" and "operations", got a list']);
    expect(problems("{}")).toEqual(['model: missing required field "model"', 'operations: missing required field "operations"']);
    expect(problems('{ "model": "kv", "operations": {} }')).toEqual(["operations: expected a list of operations, got a map"]);
    expect(problems("  ")).toEqual(["the document is empty"]);
    const r = parseHistoryText('{ "model": "kv",\n  "operations": [1,]\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ line: 2, column: 20, message: "JSON syntax: Unexpected token ']'" });
    expect(problems('{"model": "kv", "operations": [] } x')[0]).toMatch(/^JSON syntax: /);
  });

  it("holds its limits, and lets a caller lower them but not raise them", () => {
    const many = { model: "register", operations: Array.from({ length: 11 }, (_, i) => op({ call: i, return: i, input: { op: "read" }, output: null })) };
    expect(validateHistory(many).ok).toBe(true);
    const lowered = validateHistory(many, { limits: { maxOperations: 10 } });
    expect(!lowered.ok && lowered.problems[0]?.message).toBe("11 operations; the limit is 10");
    const long = "v".repeat(HISTORY_LIMITS.MAX_VALUE_CHARS + 1);
    expect(problems({ model: "register", operations: [op({ input: { op: "write", value: long } })] })).toEqual([
      `operations[0].input.value: a value is ${long.length} characters long; the limit is ${HISTORY_LIMITS.MAX_VALUE_CHARS}`,
    ]);
    const raised = validateHistory({ model: "kv", operations: [op({ input: { op: "put", value: long } })] }, { limits: { maxValueChars: 1e9 } });
    expect(raised.ok).toBe(false);
    const big = parseHistoryText(" ".repeat(1000) + "{}", { limits: { maxHistoryBytes: 100 } });
    expect(!big.ok && big.problems[0]?.message).toBe("the document is more than 100 bytes, the limit");
  });

  it("lists at most MAX_PROBLEMS_LISTED problems, then how many more", () => {
    const bad = { model: "register", operations: Array.from({ length: 150 }, () => op({ input: { op: "nope" } })) };
    const found = problems(bad);
    expect(found).toHaveLength(HISTORY_LIMITS.MAX_PROBLEMS_LISTED + 1);
    expect(found[found.length - 1]).toBe("… and 50 more problems");
  });
});

describe("writing a history", () => {
  it("writes one operation per line and reads it back unchanged", () => {
    const r = parseHistoryText(SPEC_EXAMPLE);
    if (!r.ok) throw new Error("example");
    const text = historyToJson(r.history);
    expect(text.split("\n")).toHaveLength(8);
    const back = parseHistoryText(text);
    expect(back).toEqual(r);
  });

  it("describes operations in words", () => {
    const r = parseHistoryText(SPEC_EXAMPLE);
    if (!r.ok) throw new Error("example");
    expect(r.history.operations.map(describeOperation)).toEqual(["write x 3", "read x → 3", "cas x 3→4 → failed", "write x 9 (never returned)"]);
    const h: History = { model: "kv", operations: [{ client: 0, call: 0, return: 1, input: { op: "get", key: "a b" }, output: null }] };
    expect(describeOperation(h.operations[0]!)).toBe('get "a b" → ?');
  });
});

describe("never throws", () => {
  it("for arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseHistoryText(text);
        expect(typeof r.ok).toBe("boolean");
        if (!r.ok) for (const p of r.problems) expect(p.message).not.toMatch(/could not be read/);
      }),
      { numRuns: 500 },
    );
  });

  it("for arbitrary values, as text and as objects", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (value) => {
        const a = parseHistoryText(JSON.stringify(value) ?? "null");
        const b = validateHistory(value);
        expect(typeof a.ok).toBe("boolean");
        if (!b.ok) for (const p of b.problems) expect(p.message).not.toMatch(/could not be read/);
      }),
      { numRuns: 500 },
    );
  });

  it("for histories with arbitrary fields replaced, and every problem has a path", () => {
    const valid = JSON.parse(SPEC_EXAMPLE) as Record<string, unknown>;
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]) => {
      paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    };
    walk(valid, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.jsonValue({ maxDepth: 2 }), (path, replacement) => {
        const copy = structuredClone(valid);
        let at: Record<string | number, unknown> = copy;
        for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
        at[path[path.length - 1]!] = replacement;
        const r = validateHistory(copy);
        if (!r.ok) {
          for (const p of r.problems) {
            expect(p.message.length).toBeGreaterThan(0);
            expect(p.path).not.toBe("");
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("locates JSON syntax errors exactly where JSON.parse finds text invalid", () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.json().map((t) => t.slice(0, -1))), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(jsonErrorOffset(text) === -1).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });

  it("the fast path for valid histories accepts only what the schema accepts, and gives the same value", () => {
    const schema = makeHistorySchema(effectiveHistoryLimits());
    const limits = effectiveHistoryLimits();
    const valid = JSON.parse(SPEC_EXAMPLE) as Record<string, unknown>;
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]) => {
      paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    };
    walk(valid, []);
    expect(readValidHistory(valid, limits)).toEqual(schema.parse(valid));
    const scalar = fc.oneof(fc.constantFrom(null, true, 0, -1, 1.5, "", "x", "get", "kv", "register", "read", "cas", {}, [], undefined), fc.jsonValue({ maxDepth: 1 }));
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...paths.filter((p) => p.length > 0)), scalar, fc.boolean()), { maxLength: 3 }), (edits) => {
        const copy = structuredClone(valid);
        for (const [path, replacement, remove] of edits) {
          let at: Record<string | number, unknown> = copy;
          for (const k of path.slice(0, -1)) {
            if (!at || typeof at !== "object") return;
            at = at[k] as Record<string | number, unknown>;
          }
          if (!at || typeof at !== "object") return;
          if (remove) delete at[path[path.length - 1]!];
          else at[path[path.length - 1]!] = replacement;
        }
        const fast = readValidHistory(copy, limits);
        const slow = schema.safeParse(copy);
        if (fast) {
          accepted++;
          expect(slow.success).toBe(true);
          expect(fast).toEqual(slow.data);
        }
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it("for deeply nested input", () => {
    const deep = "[".repeat(50_000) + "]".repeat(50_000);
    expect(parseHistoryText(deep).ok).toBe(false);
    let nested: unknown = 1;
    for (let i = 0; i < 20_000; i++) nested = { input: nested };
    expect(validateHistory({ model: "kv", operations: [nested] }).ok).toBe(false);
  });
});
