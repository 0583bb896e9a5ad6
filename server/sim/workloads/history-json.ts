// A run's workload history in the JSON form users download and `faultline check` reads
// (docs/histories.md): operations with call and return times in µs, inputs and outputs. A lin-kv
// workload gives a `register` history; operations that certainly did not happen are left out.

import type { OperationHistory } from "../nodes/runtime";
import { OUTCOME_FAIL, OUTCOME_INFO } from "../trace/kinds";

export interface HistoryJsonOperation {
  client: string;
  call: number;
  return: number | null;
  input: Record<string, unknown>;
  output: unknown;
}

export interface HistoryJson {
  /** "register" for lin-kv (what the checker reads); otherwise the workload's kind. */
  model: string;
  operations: HistoryJsonOperation[];
}

/** The history, and for each of its operations the row it came from. */
export function historyJson(o: OperationHistory, nodeIds: readonly string[], workloadKind: string): { history: HistoryJson; rows: number[] } {
  const operations: HistoryJsonOperation[] = [];
  const rows: number[] = [];
  for (let i = 0; i < o.count; i++) {
    if (o.outcome[i] === OUTCOME_FAIL) continue; // it certainly did not happen
    const pending = o.outcome[i] === OUTCOME_INFO || o.outcome[i] === -1;
    operations.push({
      client: nodeIds[o.client[i]!]!,
      call: o.invokeUs[i]!,
      return: pending ? null : o.completeUs[i]!,
      input: o.input[i]!,
      output: pending ? null : (o.output[i] ?? null),
    });
    rows.push(i);
  }
  return { history: { model: workloadKind === "lin-kv" ? "register" : workloadKind, operations }, rows };
}
