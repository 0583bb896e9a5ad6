// What the run page reads from the scenario version a run ran, without validating it again:
// its own description (Markdown), shown beside the run's narrative.
import { parse } from "yaml";

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
