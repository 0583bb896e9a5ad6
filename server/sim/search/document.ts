// A scenario document with a run's faults spelled out: the original text (comments and all) with its
// seed, faults, workload and network loss replaced by those of an expanded or shrunk scenario.

import { isMap, parseDocument, Scalar } from "yaml";
import { faultToFormat } from "../faults/format";
import { expandRandomFaults } from "../faults/random";
import { formatDuration } from "../scenario/duration";
import type { Scenario } from "../scenario/types";

export interface SpelledOutOptions {
  seed: number;
  /** Indices into the document's workload list of the entries to keep (default: all). */
  workloadKept?: number[];
  /** Text for the description's first line (the document keeps the rest). */
  note?: string;
}

/**
 * The source document rewritten so that it runs `scenario` with `seed`: faults as plain entries (a
 * random nemesis drawn for that seed), each
 * kept workload entry's count (open loop) or duration (programs), and network loss/duplicate.
 * The name is kept: it is part of the trace, so the replay has the same digest.
 */
export function spelledOutDocument(source: string, scenario: Scenario, opts: SpelledOutOptions): string {
  scenario = expandRandomFaults(scenario, opts.seed);
  const doc = parseDocument(source);
  doc.set("seed", opts.seed);
  // One fault a line: a block list of flow maps, as the format's examples write them.
  const faults = doc.createNode(scenario.faults.map(faultToFormat));
  for (const item of faults.items) if (isMap(item)) item.flow = true;
  doc.set("faults", faults);
  if (opts.note) {
    const description = doc.get("description");
    const text = typeof description === "string" && description.trim().length > 0 ? `${opts.note}\n\n${description.trimEnd()}\n` : `${opts.note}\n`;
    const node = doc.createNode(text);
    node.type = Scalar.BLOCK_LITERAL;
    doc.set("description", node);
  }
  const workload = doc.toJS().workload as unknown;
  if (Array.isArray(workload)) {
    const kept = opts.workloadKept ?? workload.map((_, i) => i);
    const entries = kept.map((origin, i) => {
      const raw = { ...(workload[origin] as Record<string, unknown>) };
      const w = scenario.workload[i];
      if (w?.kind === "open-loop" && raw.count !== undefined) raw.count = w.count;
      else if (w?.kind === "open-loop" && w.count !== 1) raw.count = w.count;
      if (w && "durationUs" in w) raw.duration = formatDuration(w.durationUs);
      return raw;
    });
    const list = doc.createNode(entries);
    for (const item of list.items) if (isMap(item)) item.flow = true;
    doc.set("workload", list);
  }
  const network = doc.get("network", true);
  if (network && typeof network === "object") {
    if (doc.getIn(["network", "loss"]) !== undefined) doc.setIn(["network", "loss"], scenario.network.loss);
    if (doc.getIn(["network", "duplicate"]) !== undefined) doc.setIn(["network", "duplicate"], scenario.network.duplicate);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
