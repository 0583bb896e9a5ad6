// What the run page reads from the scenario version a run ran, without validating it again:
// its own description (Markdown), shown beside the run's narrative, and its fault rules.
import { parse } from "yaml";
import { parseDuration } from "@/server/sim/scenario/duration";
import type { NarrativeFault } from "./narrative-beats";

/** A description longer than this is cut (the editor allows long ones; beside a story a few paragraphs do). */
export const SCENARIO_DESCRIPTION_CHARS_MAX = 4_000;

/** The `description` of a scenario's text, trimmed, or "" when it has none or the text does not parse. */
export function scenarioDescription(source: string): string {
  let doc: unknown;
  try {
    doc = parse(source, { maxAliasCount: 0 });
  } catch {
    return "";
  }
  const d = doc && typeof doc === "object" && "description" in doc ? (doc as { description: unknown }).description : undefined;
  if (typeof d !== "string") return "";
  const text = d.trim();
  return text.length > SCENARIO_DESCRIPTION_CHARS_MAX ? `${text.slice(0, SCENARIO_DESCRIPTION_CHARS_MAX - 1)}…` : text;
}

/** Short words for each fault rule of a scenario text, in order: "drop C2 → C1 response", "crash C2". */
export function scenarioFaultLabels(source: string): string[] {
  let doc: unknown;
  try {
    doc = parse(source, { maxAliasCount: 0 });
  } catch {
    return [];
  }
  const faults = doc && typeof doc === "object" && "faults" in doc ? (doc as { faults: unknown }).faults : undefined;
  if (!Array.isArray(faults)) return [];
  return faults.map((f: unknown) => faultLabel(f));
}

function faultLabel(f: unknown): string {
  if (!f || typeof f !== "object") return "a fault";
  const r = f as Record<string, unknown>;
  const kind = typeof r.kind === "string" ? r.kind : "fault";
  const node = typeof r.node === "string" ? ` ${r.node}` : "";
  const m = r.match && typeof r.match === "object" ? (r.match as Record<string, unknown>) : null;
  if (m) {
    const from = typeof m.from === "string" ? m.from : "any";
    const to = typeof m.to === "string" ? m.to : "any";
    const type = typeof m.type === "string" ? ` ${m.type}` : " message";
    return `${kind} ${from} → ${to}${type}`;
  }
  if (kind === "byzantine" && typeof r.behavior === "string") return `byzantine${node} (${r.behavior})`;
  return `${kind}${node}`;
}

/** Durations in a saved scenario are already valid; this bound only keeps a broken one out. */
const DURATION_MAX_US = Number.MAX_SAFE_INTEGER;

function duration(v: unknown, signed = false): number | null {
  if (v === undefined || v === null) return null;
  const r = parseDuration(v, { signed, maxUs: DURATION_MAX_US });
  return r.ok ? r.us : null;
}

/**
 * The fault rules a run ran with, for its narrative: the scenario's `faults`, or, when the scenario
 * has a random nemesis, the schedule it drew (the run summary's `schedule`, as the format writes
 * faults). [] when the text does not parse; the narrative tells only rules that match the trace.
 */
export function scenarioFaults(source: string, schedule?: readonly Record<string, unknown>[] | null): NarrativeFault[] {
  let faults: unknown = schedule ?? undefined;
  if (!faults) {
    let doc: unknown;
    try {
      doc = parse(source, { maxAliasCount: 0 });
    } catch {
      return [];
    }
    faults = doc && typeof doc === "object" && "faults" in doc ? (doc as { faults: unknown }).faults : undefined;
  }
  if (!Array.isArray(faults)) return [];
  return faults.map((f: unknown): NarrativeFault => {
    const r = f && typeof f === "object" ? (f as Record<string, unknown>) : {};
    const out: NarrativeFault = {
      kind: typeof r.kind === "string" ? r.kind : "",
      fromUs: duration(r.from) ?? 0,
      untilUs: duration(r.until),
    };
    if (typeof r.node === "string") out.node = r.node;
    if (typeof r.factor === "number") out.factor = r.factor;
    if (out.kind === "clock") {
      out.offsetUs = duration(r.offset, true) ?? 0;
      out.drift = typeof r.drift === "number" ? r.drift : 0;
    }
    return out;
  });
}
