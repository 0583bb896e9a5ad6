// What a student may change in an assignment's starter: break it, only the faults (within
// the rules); fix it, only the protocol's parameters. Compared on the parsed, normalized scenarios.
import type { Scenario } from "@/server/sim";
import type { AssignmentKind, TBreakItRules } from "./definition";

export interface EditProblem {
  path: string;
  message: string;
}

/** Differences listed at most, so a wholly different document gives a short answer. */
const DIFFERENCES_LISTED_MAX = 8;

/** The format's field name for a normalized key (timeoutUs is written `timeout`). */
function formatKey(key: string): string {
  return key.endsWith("Us") ? key.slice(0, -2) : key;
}

/** Paths where a and b differ, in the format's words ("protocol.client.timeout", "nodes[1]"). */
export function differences(a: unknown, b: unknown, path = "", out: string[] = []): string[] {
  if (out.length >= DIFFERENCES_LISTED_MAX) return out;
  if (Object.is(a, b)) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(path || "(document)");
      return out;
    }
    for (let i = 0; i < a.length; i++) differences(a[i], b[i], `${path}[${i}]`, out);
    return out;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${formatKey(k)}` : formatKey(k), out);
    }
    return out;
  }
  out.push(path || "(document)");
  return out;
}

function without<T extends object>(value: T, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const k of keys) delete out[k];
  return out;
}

/** Problems with a submitted scenario against the starter; empty when it follows the rules. */
export function editProblems(kind: AssignmentKind, starter: Scenario, submitted: Scenario, rules: TBreakItRules): EditProblem[] {
  const problems: EditProblem[] = [];
  if (kind === "break-it") {
    for (const path of differences(without(starter, ["name", "description", "faults"]), without(submitted, ["name", "description", "faults"]))) {
      problems.push({ path, message: "differs from the starter; in a break-it assignment you may change only the faults" });
    }
    // A random nemesis counts as the most faults it may draw.
    const faultCount = submitted.faults.reduce((n, f) => n + (f.kind === "random" ? f.max : 1), 0);
    if (rules.maxFaults !== undefined && faultCount > rules.maxFaults) {
      problems.push({ path: "faults", message: `${faultCount} faults${faultCount !== submitted.faults.length ? " (a random nemesis counts as its max)" : ""}; this assignment allows at most ${rules.maxFaults}` });
    }
    if (rules.faultKinds) {
      submitted.faults.forEach((f, i) => {
        if (!rules.faultKinds!.includes(f.kind)) {
          problems.push({ path: `faults[${i}].kind`, message: `"${f.kind}" faults are not allowed here; use ${rules.faultKinds!.map((k) => `"${k}"`).join(", ") || "none"}` });
        }
      });
    }
  } else {
    const what = kind === "implement-it" ? "the program's files" : "the protocol's parameters";
    for (const path of differences(without(starter, ["name", "description", "protocol"]), without(submitted, ["name", "description", "protocol"]))) {
      problems.push({ path, message: `differs from the starter; in a${kind === "implement-it" ? "n implement-it" : " fix-it"} assignment you may change only ${what}` });
    }
    if (kind === "implement-it" && submitted.protocol.kind === "custom" && starter.protocol.kind === "custom") {
      for (const path of differences(starter.protocol.limits, submitted.protocol.limits, "protocol.limits")) {
        problems.push({ path, message: "the program's limits are the assignment's; change only its files" });
      }
    }
    if (submitted.protocol.kind !== starter.protocol.kind) {
      problems.push({ path: "protocol.kind", message: `must stay ${starter.protocol.kind}` });
    }
    const [a, b] = [starter.protocol, submitted.protocol];
    if (a.kind === "request-response" && b.kind === "request-response") {
      for (const path of differences(a.server.calls, b.server.calls, "protocol.server.calls")) {
        problems.push({ path, message: "the servers' downstream calls are part of the system, not a parameter; keep the starter's" });
      }
    }
  }
  return problems;
}
