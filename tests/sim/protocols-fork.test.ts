// "Make this my program": a built-in protocol forked into a program of its own files runs in the
// sandbox to the very same events (digest) and verdicts as the built-in run natively.

import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario } from "@/server/sim";
import { programOf } from "@/server/sim/protocols/fork";
import { BUILTIN_PROTOCOLS } from "@/server/sim/protocols/registry";
import type { BuiltinProtocol } from "@/server/sim/scenario/types";
import { programOptions } from "@/server/runner/programs";

describe.each(BUILTIN_PROTOCOLS.map((p) => [p.kind, p] as const))("forking %s", (_kind, def) => {
  it("runs the fork in the sandbox to the same digest and checks as the built-in", async () => {
    const parsed = parseScenarioText(def.example);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const builtin = parsed.scenario;
    const fork = { ...builtin, protocol: programOf(builtin.protocol as BuiltinProtocol) };
    for (const seed of [1, 2]) {
      const native = runScenario(builtin, { seed }).summary;
      const sandboxed = runScenario(fork, { seed, ...(await programOptions(fork)) }).summary;
      expect(sandboxed.traceDigest).toBe(native.traceDigest);
      expect(sandboxed.checks).toEqual(native.checks);
    }
  }, 120_000);
});
