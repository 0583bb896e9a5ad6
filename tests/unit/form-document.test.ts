// The form editor changes only the field it edits: the rest of the text (comments, order, flow
// style, spacing) stays byte for byte as the user wrote it, for every kind of field (a scalar, a
// checkbox that adds or removes a key, a select, a list's add and remove).
import { describe, expect, it } from "vitest";
import { parseDocument, type Document } from "yaml";
import { appendItem, editText, removeItem, setField } from "@/app/_components/form/document";
import { TEMPLATES } from "@/server/templates";

const responseLost = TEMPLATES.find((t) => t.id === "response-lost")!.source;
const requestLost = TEMPLATES.find((t) => t.id === "request-lost")!.source;
const WORKLOAD = `  - { client: C1, server: C2, op: write, key: journal, value: "dear diary", count: 1 }`;

/** The lines the edit took out and put in, between what the two texts share at both ends. */
function changes(before: string, after: string): { removed: string[]; added: string[] } {
  const x = before.split("\n");
  const y = after.split("\n");
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  return { removed: x.slice(head, x.length - tail), added: y.slice(head, y.length - tail) };
}

function edited(source: string, mutate: (doc: Document) => void): string {
  const text = editText(source, mutate);
  if (text === null) throw new Error("not valid YAML");
  const reference = parseDocument(source);
  mutate(reference);
  expect(parseDocument(text).toJS()).toEqual(reference.toJS());
  return text;
}

describe("form edits on the Response lost template", () => {
  it("ticking and unticking Deduplicate repeats changes the server line only", () => {
    expect(responseLost).toContain(`\n${WORKLOAD}\n`);
    const ticked = edited(responseLost, (d) => setField(d, ["protocol", "server", "dedupe"], true));
    expect(changes(responseLost, ticked)).toEqual({ removed: ["  server: { processing: 1ms, dedupe: false }"], added: ["  server: { processing: 1ms, dedupe: true }"] });
    const unticked = edited(ticked, (d) => setField(d, ["protocol", "server", "dedupe"], undefined));
    expect(changes(responseLost, unticked)).toEqual({ removed: ["  server: { processing: 1ms, dedupe: false }"], added: ["  server: { processing: 1ms }"] });
    expect(unticked).toContain(`\n${WORKLOAD}\n`);
  });

  it.each<[string, (d: Document) => void, string[], string[]]>([
    ["a number", (d) => setField(d, ["protocol", "client", "retries"], 5), ["  client: { timeout: 100ms, retries: 2 }"], ["  client: { timeout: 100ms, retries: 5 }"]],
    ["a quoted text, kept quoted", (d) => setField(d, ["workload", 0, "value"], "dear diary 2"), [WORKLOAD], [WORKLOAD.replace("dear diary", "dear diary 2")]],
    ["a select", (d) => setField(d, ["workload", 0, "op"], "read"), [WORKLOAD], [WORKLOAD.replace("write", "read")]],
    ["a new key in a block map", (d) => setField(d, ["network", "loss"], 0.1), [], ["  loss: 0.1"]],
    ["a new key in a flow map", (d) => setField(d, ["protocol", "server", "durable"], true), ["  server: { processing: 1ms, dedupe: false }"], ["  server: { processing: 1ms, dedupe: false, durable: true }"]],
    ["a distribution's shape", (d) => setField(d, ["network", "latency"], { dist: "uniform", min: "1ms", max: "10ms" }), ["  latency: 10ms"], ["  latency: { dist: uniform, min: 1ms, max: 10ms }"]],
    ["a list's new entry", (d) => appendItem(d, ["faults"], { kind: "crash", node: "C2", at: "50ms" }), [], ["  - { kind: crash, node: C2, at: 50ms }"]],
    ["a list's removed entry", (d) => removeItem(d, ["checks"], 0), ["  - all-complete"], []],
  ])("%s changes that field's line only", (_name, mutate, removed, added) => {
    expect(changes(responseLost, edited(responseLost, mutate))).toEqual({ removed, added });
  });
});

describe("form edits keep the user's own style", () => {
  it("keeps a value's comment and its alignment", () => {
    const text = edited(requestLost, (d) => setField(d, ["network", "latency"], "20ms"));
    expect(changes(requestLost, text)).toEqual({ removed: ["  latency: 10ms            # one way, every message"], added: ["  latency: 20ms            # one way, every message"] });
  });

  it("removes a key without restyling its flow map", () => {
    const source = "protocol:\n  kind: request-response\n  server: {processing: 1ms,   dedupe: true}  # at most once\n";
    expect(edited(source, (d) => setField(d, ["protocol", "server", "dedupe"], undefined))).toBe("protocol:\n  kind: request-response\n  server: {processing: 1ms}  # at most once\n");
  });

  it("adds and removes list entries in unindented lists, 4-space maps and multi-line flow maps", () => {
    const source = ["network:", "    latency: 10ms", "workload:", "- {client: C1, server: C2, op: write}", "- {", "    client: C1,", "    server: C2, op: read }", "", "", "checks: [all-complete,at-most-once]", ""].join("\n");
    expect(changes(source, edited(source, (d) => setField(d, ["network", "loss"], 0.1)))).toEqual({ removed: [], added: ["    loss: 0.1"] });
    expect(changes(source, edited(source, (d) => removeItem(d, ["workload"], 0)))).toEqual({ removed: ["- {client: C1, server: C2, op: write}"], added: [] });
    expect(changes(source, edited(source, (d) => appendItem(d, ["workload"], { client: "C2" })))).toEqual({ removed: [], added: ["- { client: C2 }"] });
    expect(changes(source, edited(source, (d) => appendItem(d, ["checks"], "exactly-once")))).toEqual({ removed: ["checks: [all-complete,at-most-once]"], added: ["checks: [all-complete,at-most-once, exactly-once]"] });
  });

  it("writes a flow collection whose structure changes whole, not in two styles", () => {
    const source = "faults:\n  - { kind: partition, groups: [[C1], [C2]], until: 1s }\n";
    const text = edited(source, (d) => setField(d, ["faults", 0, "groups"], [["C1", "C2"], ["C3"]]));
    expect(text).toBe("faults:\n  - { kind: partition, groups: [[ C1, C2 ], [ C3 ]], until: 1s }\n");
  });

  it.each(TEMPLATES.map((t) => [t.id, t.source] as const))("%s: the seed and a new node change their own lines only", (_id, source) => {
    const seed = source.match(/^seed: .*$/m)?.[0];
    expect(changes(source, edited(source, (d) => setField(d, ["seed"], 7)))).toEqual({ removed: seed ? [seed] : [], added: ["seed: 7"] });
    const { removed, added } = changes(source, edited(source, (d) => appendItem(d, ["nodes"], { id: "n9" })));
    expect(removed.length).toBeLessThanOrEqual(1);
    expect(added).toHaveLength(1);
    expect(added[0]).toContain("{ id: n9 }");
  });
});
