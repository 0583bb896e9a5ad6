// Normalized faults written back in the format's own words (durations as "150ms"), ready for YAML:
// the random nemesis's drawn schedule and a shrunk scenario's faults are saved this way and parse back to the same values.

import { formatDuration } from "../scenario/duration";
import type { Distribution, Fault, MessageMatch } from "../scenario/types";

export type FormatFault = Record<string, unknown>;

export function distributionToFormat(d: Distribution): unknown {
  switch (d.dist) {
    case "constant":
      return formatDuration(d.valueUs);
    case "uniform":
      return { dist: "uniform", min: formatDuration(d.minUs), max: formatDuration(d.maxUs) };
    case "exponential":
      return { dist: "exponential", mean: formatDuration(d.meanUs) };
    case "normal":
      return { dist: "normal", mean: formatDuration(d.meanUs), sd: formatDuration(d.sdUs) };
    case "lognormal":
      return { dist: "lognormal", median: formatDuration(d.medianUs), sigma: d.sigma };
  }
}

function matchToFormat(m: MessageMatch): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (m.from !== null) out.from = m.from;
  if (m.to !== null) out.to = m.to;
  if (m.type !== null) out.type = m.type;
  if (m.nth !== null) out.nth = m.nth;
  return Object.keys(out).length > 0 ? out : undefined;
}

function windowToFormat(f: { fromUs: number; untilUs: number | null }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (f.fromUs !== 0) out.from = formatDuration(f.fromUs);
  if (f.untilUs !== null) out.until = formatDuration(f.untilUs);
  return out;
}

/** One fault as a scenario document writes it (parsing it gives back the same fault). */
export function faultToFormat(f: Fault): FormatFault {
  const withMatch = (m: MessageMatch) => {
    const x = matchToFormat(m);
    return x ? { match: x } : {};
  };
  switch (f.kind) {
    case "drop":
      return { kind: "drop", ...withMatch(f.match), ...(f.probability !== 1 ? { probability: f.probability } : {}), ...windowToFormat(f) };
    case "delay":
      return { kind: "delay", ...withMatch(f.match), by: distributionToFormat(f.by), ...windowToFormat(f) };
    case "duplicate":
      return { kind: "duplicate", ...withMatch(f.match), ...windowToFormat(f) };
    case "crash":
      return { kind: "crash", node: f.node, at: formatDuration(f.atUs), ...(f.restartUs !== null ? { restart: formatDuration(f.restartUs) } : {}) };
    case "slow":
      return { kind: "slow", node: f.node, factor: f.factor, ...windowToFormat(f) };
    case "partition":
      return { kind: "partition", groups: f.groups.map((g) => [...g]), ...windowToFormat(f) };
    case "byzantine":
      return { kind: "byzantine", node: f.node, behavior: f.behavior, ...windowToFormat(f) };
    case "clock":
      return { kind: "clock", node: f.node, ...(f.offsetUs !== 0 ? { offset: formatDuration(f.offsetUs) } : {}), ...(f.drift !== 0 ? { drift: f.drift } : {}), ...windowToFormat(f) };
    case "pause":
      return { kind: "pause", node: f.node, ...windowToFormat(f) };
    case "random":
      return {
        kind: "random",
        kinds: [...f.kinds],
        ...(f.nodes ? { nodes: [...f.nodes] } : {}),
        every: formatDuration(f.everyUs),
        length: { min: formatDuration(f.lengthMinUs), max: formatDuration(f.lengthMaxUs) },
        ...(f.quietUs >= 0 ? { quiet: formatDuration(f.quietUs) } : {}),
        max: f.max,
        ...windowToFormat(f),
      };
  }
}
