// The linearizability checker's speed: histories of N operations over K keys from C clients, as a
// lin-kv workload makes them, checked per second; a refuted one with its shrinking; parsing.

import os from "node:os";
import {
  checkLinearizability,
  historyToJson,
  parseHistoryText,
  type History,
  type HistoryOperation,
  type RegisterOperation,
} from "../../server/sim";

export const title = "linearizability checker";

/** A small seeded generator (xorshift32), so every run checks the same histories. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

interface Shape {
  ops: number;
  keys: number;
  clients: number;
  model: History["model"];
}

/**
 * C clients each with one operation at a time (1-20 time units long, 0-5 apart), each on a random
 * key, taking effect at a random point inside its interval on a real register or text: a
 * linearizable history. Register ops are Maelstrom's lin-kv mix (half reads, writes and cas of 0-4);
 * 1% never return (they take effect or not). kv ops are half gets, appends of one letter, a few puts.
 */
function makeHistory({ ops, keys, clients, model }: Shape, seed: number): History {
  const r = random(seed);
  const free = Array.from({ length: clients }, () => r() * 10);
  const effects: { at: number; i: number; key: number; happens: boolean }[] = [];
  const out: HistoryOperation[] = [];
  for (let i = 0; i < ops; i++) {
    let c = 0;
    for (let j = 1; j < clients; j++) if (free[j]! < free[c]!) c = j;
    const call = free[c]!;
    const length = 1 + r() * 19;
    const key = Math.floor(r() * keys);
    const k = `k${key}`;
    const u = r();
    const pending = r() < 0.01;
    let input: HistoryOperation["input"];
    if (model === "register") {
      input = u < 0.5 ? { op: "read", key: k } : u < 0.8 ? { op: "write", key: k, value: Math.floor(r() * 5) } : { op: "cas", key: k, from: Math.floor(r() * 5), to: Math.floor(r() * 5) };
    } else {
      input = u < 0.5 ? { op: "get", key: k } : u < 0.95 ? { op: "append", key: k, value: String.fromCharCode(97 + Math.floor(r() * 26)) } : { op: "put", key: k, value: "" };
    }
    out.push({ client: c, call, return: pending ? null : call + length, input, output: null });
    effects.push({ at: call + r() * length, i, key, happens: !pending || r() < 0.5 });
    // A client that timed out moves on to its next operation.
    free[c] = call + length + r() * 5;
  }
  effects.sort((a, b) => a.at - b.at);
  const state = new Map<number, unknown>();
  for (const { i, key, happens } of effects) {
    if (!happens) continue;
    const op = out[i]!;
    const cur = state.get(key) ?? (model === "register" ? null : "");
    const input = op.input as { op: string; value?: unknown; from?: unknown; to?: unknown };
    let output: unknown = {};
    if (input.op === "read" || input.op === "get") output = { value: cur };
    else if (input.op === "write" || input.op === "put") state.set(key, input.value);
    else if (input.op === "append") state.set(key, (cur as string) + (input.value as string));
    else {
      output = { ok: cur === input.from };
      if (cur === input.from) state.set(key, input.to);
    }
    if (op.return !== null) op.output = output as HistoryOperation["output"];
  }
  return { model, operations: out } as History;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 2) => n.toFixed(d);
const thousands = (n: number) => n.toLocaleString("en-US");

function time<T>(f: () => T, rounds = 3): { value: T; ms: number } {
  f(); // warm-up
  const ms: number[] = [];
  let value = f();
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    value = f();
    ms.push(performance.now() - t0);
  }
  return { value, ms: median(ms) };
}

export function run(): void {
  console.log(`machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, node ${process.version}; one core, median of 3 runs`);
  const shapes: Shape[] = [
    { ops: 1_000, keys: 1, clients: 5, model: "register" },
    { ops: 10_000, keys: 1, clients: 5, model: "register" },
    { ops: 10_000, keys: 10, clients: 10, model: "register" },
    { ops: 100_000, keys: 100, clients: 10, model: "register" },
    { ops: 2_000, keys: 1, clients: 20, model: "register" },
    { ops: 10_000, keys: 10, clients: 5, model: "kv" },
  ];
  console.log("linearizable histories (lin-kv mix: reads, writes, cas of 0-4; 1% never return):");
  for (const shape of shapes) {
    const h = makeHistory(shape, 42);
    const { value: r, ms } = time(() => checkLinearizability(h, { maxSteps: Infinity }));
    const verdict = r.linearizable === true ? "linearizable" : r.linearizable === false ? "NOT linearizable (generator bug)" : `gave up (${r.gaveUp?.reason})`;
    console.log(
      `  ${thousands(shape.ops).padStart(7)} ops × ${String(shape.keys).padStart(3)} key${shape.keys === 1 ? " " : "s"}, ${String(shape.clients).padStart(2)} clients, ${shape.model.padEnd(8)}: ` +
        `${fmt(ms, 1).padStart(7)} ms = ${fmt(1000 / ms, 1).padStart(6)} histories/s, ${fmt((shape.ops / ms) * 1000 / 1e6).padStart(5)} M ops/s; ` +
        `${thousands(r.steps)} steps (${fmt(r.steps / shape.ops, 1)}/op, ${fmt((r.steps / ms) * 1000 / 1e6)} M steps/s); ${verdict}`,
    );
  }

  // Anomalies planted at the end of one key of a 10,000-op, 10-key history (values 7 and 8 are
  // never written by the generator): a stale read, seen without a search; and two reads that
  // disagree after concurrent writes, which takes a search and then shrinking.
  const h = makeHistory({ ops: 10_000, keys: 10, clients: 10, model: "register" }, 7);
  const far = h.operations[h.operations.length - 1]!.call + 1000;
  const op = (client: number, call: number, ret: number, input: RegisterOperation["input"], output: RegisterOperation["output"]): RegisterOperation => ({
    client,
    call: far + call,
    return: far + ret,
    input,
    output,
  });
  const plants: [string, RegisterOperation[]][] = [
    [
      "a stale read (write 7, write 8, read 7)",
      [
        op(90, 0, 1, { op: "write", key: "k9", value: 7 }, {}),
        op(91, 2, 3, { op: "write", key: "k9", value: 8 }, {}),
        op(92, 4, 5, { op: "read", key: "k9" }, { value: 7 }),
      ],
    ],
    [
      "concurrent writes of 7 and 8, then reads of 8 and 7",
      [
        op(90, 0, 10, { op: "write", key: "k9", value: 7 }, {}),
        op(91, 0, 10, { op: "write", key: "k9", value: 8 }, {}),
        op(92, 11, 12, { op: "read", key: "k9" }, { value: 8 }),
        op(93, 13, 14, { op: "read", key: "k9" }, { value: 7 }),
      ],
    ],
  ];
  console.log("");
  for (const [what, planted] of plants) {
    const bad: History = { model: "register", operations: [...(h.operations as RegisterOperation[]), ...planted] };
    const { value: refuted, ms } = time(() => checkLinearizability(bad, { maxSteps: Infinity }), 1);
    const f = refuted.failure;
    console.log(
      `${what}, at the end of one key of 10,000 ops × 10 keys: ${fmt(ms, 1)} ms; verdict in ${thousands(refuted.steps)} steps, ` +
        `shrunk from ${f ? thousands(f.keyOperations) : "?"} to ${f?.operations.length ?? "?"} operations (#${f?.operations.join(", #")}) in ${thousands(f?.shrinkSteps ?? 0)} steps`,
    );
  }

  // Reading: the JSON of the 100,000-op history.
  const text = historyToJson(makeHistory(shapes[3]!, 42));
  const { value: parsed, ms: parseMs } = time(() => parseHistoryText(text));
  console.log(
    `parse and validate a ${fmt(text.length / 2 ** 20, 1)} MiB, 100,000-op history: ${fmt(parseMs, 0)} ms ` +
      `(${fmt(text.length / 2 ** 20 / (parseMs / 1000), 1)} MiB/s)${parsed.ok ? "" : " INVALID"}`,
  );
}
