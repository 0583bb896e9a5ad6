// Parameter curves, pure: a vary spec's values set in the scenario document (vary-path.ts), and the
// varied scenario validated. Errors name the path and what is wrong with it (docs/search.md).

import { validateScenario, type ParseOptions } from "../scenario/parse";
import type { Scenario, ScenarioProblem } from "../scenario/types";
import { setAtPath, type VaryAssignment } from "./vary-path";

export * from "./vary-path";

/** The scenario with every assignment applied, validated: problems carry their paths, the caller says which values it set. */
export function variedScenario(
  doc: unknown,
  assignments: readonly VaryAssignment[],
  options: ParseOptions = {},
): { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] } {
  let cur = doc;
  for (const a of assignments) {
    const r = setAtPath(cur, a.segments, a.value);
    if (!r.ok) return { ok: false, problems: [{ path: r.path, message: r.message }] };
    cur = r.value;
  }
  return validateScenario(cur, options);
}
