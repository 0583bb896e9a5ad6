// `faultline shrink FILE --seed N [--check NAME] [--out OUT.yaml] [--steps K]`: the smallest scenario
// that still fails the check at that seed, written with its faults spelled out (docs/search.md).

import { writeFileSync } from "node:fs";
import type { Scenario } from "../server/sim";
import { programOptions } from "../server/runner/programs";
import { nodeSha256Hex } from "../server/runner/hash";
import { spelledOutDocument } from "../server/sim/search/document";
import { shrinkScenario } from "../server/sim/search/shrink";

export interface ShrinkCliIo {
  out(text: string): void;
  err(text: string): void;
  interactive: boolean;
}

/** Exit 1 when a failing scenario was found and written, 0 when the run does not fail the check. */
export async function shrinkCommand(file: string, source: string, scenario: Scenario, opts: { seed: number; check?: string; out?: string; steps?: number }, io: ShrinkCliIo): Promise<number> {
  if (opts.check !== undefined && !scenario.checks.some((c) => c.name === opts.check)) {
    io.err(`faultline: ${file} has no check "${opts.check}" (it has ${scenario.checks.map((c) => c.name).join(", ") || "none"})\n`);
    return 2;
  }
  const result = shrinkScenario(scenario, {
    seed: opts.seed,
    check: opts.check,
    maxSteps: opts.steps,
    runOptions: { ...(await programOptions(scenario)), sha256Hex: nodeSha256Hex },
    onProgress: (p) => {
      if (io.interactive) io.err(`\rshrinking: ${p.phase}, step ${p.step} of at most ${p.budget}, ${p.faults} faults   `);
    },
  });
  if (io.interactive) io.err("\n");
  if (!result.failing) {
    io.out(`seed ${opts.seed}: ${result.check === null ? "every check holds" : `${result.check} holds`}; nothing to shrink\n`);
    return 0;
  }
  const text = spelledOutDocument(source, result.scenario, {
    seed: opts.seed,
    workloadKept: result.workloadKept,
    note: `Shrunk from seed ${opts.seed} of ${file}: fails ${result.check}.`,
  });
  const lines = [
    `seed ${opts.seed}: ${result.check} fails`,
    `faults: ${result.before.faults} -> ${result.after.faults}; simulator steps: ${result.before.events} -> ${result.after.events}; ${result.steps} runs${result.exhausted ? " (step budget used up: it may shrink further with --steps)" : ""}`,
  ];
  if (opts.out) {
    writeFileSync(opts.out, text);
    io.out(lines.join("\n") + `\nwrote ${opts.out}\nreplay: npx faultline run ${opts.out} --seed ${opts.seed}\n`);
  } else {
    io.err(lines.join("\n") + "\n");
    io.out(text);
  }
  return 1;
}
