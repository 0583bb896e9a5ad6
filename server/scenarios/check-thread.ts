// The scenario-check thread: checkScenario off the web process's event loop. Bundled with
// esbuild and started by server/scenarios/check-pool.ts.
import { parentPort } from "node:worker_threads";
import { checkScenario } from "./validate";

const port = parentPort;
if (!port) throw new Error("server/scenarios/check-thread.ts must run in a worker thread");

port.on("message", (msg: { id: number; source: string }) => {
  port.postMessage({ id: msg.id, result: checkScenario(msg.source) });
});
