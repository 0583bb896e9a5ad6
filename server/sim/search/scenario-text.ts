// A found schedule written back as a scenario: the user's own document (comments and order kept),
// its faults list extended with the schedule's entries, each with a comment saying what it does.

import { isSeq, parseDocument } from "yaml";

/** The document with `entries` appended to its faults and, when given, its seed set. */
export function withAddedFaults(text: string, added: readonly { entry: Record<string, unknown>; describe: string }[], options: { seed?: number; note?: string } = {}): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`the scenario text does not parse: ${doc.errors[0]!.message}`);
  if (options.seed !== undefined) doc.set("seed", options.seed);
  let faults = doc.get("faults", true);
  if (!isSeq(faults)) {
    doc.set("faults", doc.createNode([]));
    faults = doc.get("faults", true);
  }
  if (!isSeq(faults)) throw new Error("faults is not a list");
  added.forEach((a, i) => {
    const node = doc.createNode(a.entry, { flow: true });
    node.commentBefore = ` ${i === 0 && options.note ? `${options.note}\n ` : ""}${a.describe}`;
    faults.items.push(node);
  });
  // A flow-style list ([...]) cannot hold comments: write it as a block list.
  faults.flow = false;
  return doc.toString({ lineWidth: 0 });
}
