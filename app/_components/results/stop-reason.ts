// Why a run stopped, in words: the simulator's stoppedBy ("idle", "until", "done", "maxEvents",
// "traceLimit"), for the run page, the event log and the
// sweep page. A reason this page does not know yet is shown as it is, never hidden.
import { formatCount } from "@/app/_components/format";
import { SERVICE_LIMITS } from "@/server/scenarios/validate";

export interface StopReasonText {
  /** A label for counts: "time limit". */
  label: string;
  /** A few words: "time limit reached". */
  short: string;
  /** A notice for a run the service cut short; null when it stopped where its scenario said. */
  early: string | null;
}

export function stopReason(stoppedBy: string): StopReasonText {
  switch (stoppedBy) {
    case "idle":
      return { label: "idle", short: "nothing left to happen", early: null };
    case "until":
      return { label: "time limit", short: "time limit reached", early: null };
    case "done":
      return { label: "workload done", short: "the workload and its checks' final phase finished", early: null };
    case "maxEvents":
      return { label: "step limit", short: "step limit (maxEvents) reached", early: null };
    case "traceLimit":
      return {
        label: "trace limit",
        short: "trace limit reached",
        early: `It stopped when its trace reached the ${formatCount(SERVICE_LIMITS.maxTraceRecords)} records a run may keep: the checks judged the events up to there. Lower maxEvents or the workload to see the run to its end.`,
      };
    default:
      return { label: stoppedBy, short: stoppedBy, early: null };
  }
}

/** "idle 38, time limit 2, step limit 0, trace limit 1": a sweep's stop counts, every reason it reports. */
export function stopCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([reason, n]) => `${stopReason(reason).label} ${n}`)
    .join(", ");
}
