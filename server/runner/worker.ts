// A simulator worker thread: runs one seed (with progress) or batches of a sweep's seeds, off the
// caller's event loop. The runner terminates the thread when its wall-clock deadline passes.

import { parentPort } from "node:worker_threads";
import { nodeSha256Hex } from "./hash";
import { programOptions } from "./programs";
import { runScenario, type RunSummary } from "../sim/run";
import type { Scenario } from "../sim/scenario/types";
import { encodeTrace } from "../sim/trace/codec";
import type { FromWorker, ToWorker } from "./messages";

const PROGRESS_EVERY_MS = 100;

const port = parentPort;
if (!port) throw new Error("server/runner/worker.ts must run in a worker thread");

let sweepScenario: Scenario | null = null;

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

// Messages are handled one after another (a program run first prepares its interpreters, which is asynchronous).
let chain: Promise<void> = Promise.resolve();
port.on("message", (msg: ToWorker) => {
  chain = chain.then(() => handle(msg));
});

async function handle(msg: ToWorker): Promise<void> {
  try {
    if (msg.type === "run") {
      let last = 0;
      const { summary, trace } = runScenario(msg.scenario, {
        ...(await programOptions(msg.scenario)),
        seed: msg.seed,
        sha256Hex: nodeSha256Hex,
        recordTrace: msg.recordTrace,
        onProgress: (p) => {
          const now = performance.now();
          if (now - last >= PROGRESS_EVERY_MS || p.fraction >= 1) {
            last = now;
            post({ type: "progress", events: p.events, virtualTimeUs: p.virtualTimeUs, fraction: p.fraction });
          }
        },
      });
      const bytes = trace ? encodeTrace(trace) : null;
      post({ type: "result", summary, trace: bytes }, bytes ? [bytes.buffer as ArrayBuffer] : []);
    } else if (msg.type === "sweep-init") {
      sweepScenario = msg.scenario;
    } else if (msg.type === "sweep-batch") {
      if (!sweepScenario) throw new Error("sweep-batch before sweep-init");
      const summaries: RunSummary[] = [];
      for (const seed of msg.seeds) summaries.push(runScenario(sweepScenario, { ...(await programOptions(sweepScenario)), seed, recordTrace: false }).summary);
      post({ type: "batch", summaries });
    }
  } catch (err) {
    post({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}
