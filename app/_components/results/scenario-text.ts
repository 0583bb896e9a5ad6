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
