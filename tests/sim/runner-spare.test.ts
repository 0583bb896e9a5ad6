// The spare thread: a small run's thread is given back as the spare, and the runs and jobs that
// take it next must hear from it. (A recycled thread that lost its listeners would leave its next
// run waiting out its wall-clock deadline.)
import { describe, expect, it } from "vitest";
import { runScenario } from "@/server/sim";
import { prepareThreads, runExplore, runSeed } from "@/server/runner";
import { sharedScenario } from "./helpers";

const AS_THE_WORKER = { memoryMb: 1024, nice: 10, deadlineMs: 60_000 };

describe("runSeed on the spare thread", () => {
  it("runs small runs and explorations one after another and side by side, every one answered", async () => {
    prepareThreads({ spare: { memoryMb: AS_THE_WORKER.memoryMb } });
    const s = sharedScenario("01-request-lost.yaml");
    const lost = sharedScenario("05-response-lost.yaml");
    const noFaults = { ...lost, faults: [] };
    const one = async (seed: number) => {
      const r = await runSeed(s, { ...AS_THE_WORKER, seed, recordTrace: true });
      expect(r.summary.traceDigest).toBe(runScenario(s, { seed }).summary.traceDigest);
    };
    for (let round = 0; round < 4; round++) {
      await one(round + 1);
      await one(round + 11);
      const found = await runExplore(noFaults, { faults: 1, depth: 4, seed: 1 }, AS_THE_WORKER);
      expect(found.shortest).not.toBeNull();
      await Promise.all([one(round + 21), one(round + 31)]);
    }
  }, 600_000);
});
