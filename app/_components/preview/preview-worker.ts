// The instant preview's Web Worker: parses a scenario and runs it on the simulator with a small
// trace limit, off the page's main thread. The page ends a stale run by ending this worker.

import { encodeTrace, runScenario } from "@/server/sim";
import { checkScenario } from "@/server/scenarios/validate";
import { PREVIEW_TRACE_RECORDS_MAX, type PreviewRequest, type PreviewResponse } from "./protocol";

function preview({ id, source }: PreviewRequest): { response: PreviewResponse; transfer: Transferable[] } {
  const checked = checkScenario(source);
  if (!checked.ok) return { response: { id, status: "invalid" }, transfer: [] };
  const scenario = checked.scenario;
  if (scenario.protocol.kind === "custom") return { response: { id, status: "program" }, transfer: [] };
  const t0 = performance.now();
  const result = runScenario(scenario, { maxTraceRecords: PREVIEW_TRACE_RECORDS_MAX });
  const simulateMs = performance.now() - t0;
  if (result.summary.stoppedBy === "traceLimit" || !result.trace) {
    return { response: { id, status: "too-big", records: result.summary.traceEvents }, transfer: [] };
  }
  const trace = encodeTrace(result.trace);
  return { response: { id, status: "done", summary: result.summary, trace, simulateMs }, transfer: [trace.buffer] };
}

self.onmessage = (e: MessageEvent<PreviewRequest>) => {
  let out: { response: PreviewResponse; transfer: Transferable[] };
  try {
    out = preview(e.data);
  } catch (err) {
    out = { response: { id: e.data.id, status: "error", message: err instanceof Error ? err.message : String(err) }, transfer: [] };
  }
  (self as unknown as Worker).postMessage(out.response, out.transfer);
};
