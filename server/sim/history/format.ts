// Writing a history: the JSON file (one operation per line, so files diff well), and one operation
// in words for people (`write x 3`, `read x → 3`, `cas x 3→4 → failed`).

import type { History, HistoryKey, HistoryOperation } from "./types";

/** The history as JSON text, one operation per line; parseHistoryText reads it back unchanged. */
export function historyToJson(history: History): string {
  const ops = history.operations.map((op) => "    " + JSON.stringify(op));
  return `{ "model": ${JSON.stringify(history.model)},\n  "operations": [\n${ops.join(",\n")}\n  ] }\n`;
}

/** The key an operation is on, in words: `x`, `"1"` when text looks like a number, `(default key)`. */
export function describeKey(key: HistoryKey | null | undefined): string {
  if (key === null || key === undefined) return "(default key)";
  if (typeof key === "number") return String(key);
  return /^[A-Za-z_][\w.:/-]*$/.test(key) ? key : JSON.stringify(key);
}

const show = (v: unknown) => JSON.stringify(v);

/** `write x 3`, `read x → 3`, `cas x 3→4 → ok`, `append k "ab" → ?` (unknown output), `… (never returned)`. */
export function describeOperation(op: HistoryOperation): string {
  const input = op.input;
  const key = input.key === undefined ? "" : ` ${describeKey(input.key)}`;
  const out = op.output as Record<string, unknown> | null;
  let text: string;
  switch (input.op) {
    case "read":
    case "get":
      text = `${input.op}${key} → ${out === null ? "?" : show(out.value)}`;
      break;
    case "write":
    case "put":
    case "append":
      text = `${input.op}${key} ${show(input.value)}`;
      break;
    case "cas":
      text = `cas${key} ${show(input.from)}→${show(input.to)} → ${out === null ? "?" : out.ok ? "ok" : "failed"}`;
      break;
  }
  return op.return === null ? `${text} (never returned)` : text;
}
