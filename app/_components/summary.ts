// The shapes of stored run summaries as pages read them (the simulator writes them:
// the spec's `--json` summary for a run, the sweep summary for a sweep).
export interface CheckVerdictView {
  name: string;
  ok: boolean;
  message?: string;
  witness?: number[];
}

export interface RunSummaryView {
  scenario: string;
  seed: number;
  engine: string;
  stoppedBy: string;
  virtualTimeMs: number;
  events: number;
  traceDigest: string;
  metrics: {
    messages: { sent: number; delivered: number; dropped: number; duplicated: number };
    requests: { issued: number; succeeded: number; failed: number; attempts: number };
    calls?: { issued: number; succeeded: number; failed: number; attempts: number };
    executions: number;
    latencyMs: { mean: number | null; p50: number | null; p90: number | null; p99: number | null; max: number | null };
  };
  checks: CheckVerdictView[];
}
