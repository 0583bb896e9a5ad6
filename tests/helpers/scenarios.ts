// The shared example scenarios (../shared/scenarios), read from beside the project as
// CI places them.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

export const SHARED_SCENARIOS = path.resolve(import.meta.dirname, "../../../shared/scenarios");

export function sharedScenario(file: string): string {
  return readFileSync(path.join(SHARED_SCENARIOS, file), "utf8");
}

export function sharedScenarioFiles(): string[] {
  return readdirSync(SHARED_SCENARIOS).filter((f) => f.endsWith(".yaml")).sort();
}
