// The shared example scenarios (../shared/scenarios), read from beside the project as
// CI places them; a git worktree deeper down finds them in the nearest parent that has them.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

function findShared(): string {
  const beside = path.resolve(import.meta.dirname, "../../../shared/scenarios");
  for (let dir = path.resolve(import.meta.dirname, "../../.."); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "scenarios");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return beside;
  }
}

export const SHARED_SCENARIOS = findShared();

export function sharedScenario(file: string): string {
  return readFileSync(path.join(SHARED_SCENARIOS, file), "utf8");
}

export function sharedScenarioFiles(): string[] {
  return readdirSync(SHARED_SCENARIOS).filter((f) => f.endsWith(".yaml")).sort();
}
