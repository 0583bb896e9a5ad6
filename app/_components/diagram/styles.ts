// The diagram's visual vocabulary, shared by the canvas drawing and the legend, so a mark
// always means the same thing: one colour per role, one shape per kind of event.

export const COLORS = {
  request: "#2f5fb3",
  response: "#1f8a4c",
  retry: "#d9480f",
  byzantine: "#9c36b5",
  drop: "#c92a2a",
  timeout: "#b26b00",
  backoff: "#f0a53a",
  process: "#aab3c2",
  execute: "#17202e",
  dedupe: "#0b7285",
  accept: "#1f8a4c",
  ignore: "#8a94a6",
  fail: "#c92a2a",
  crash: "#c92a2a",
  restart: "#1f8a4c",
  issue: "#2f5fb3",
  lane: "#5b6576",
  laneDown: "#c9ced8",
  downBand: "rgba(201, 42, 42, 0.07)",
  grid: "#eef0f4",
  axis: "#5b6576",
  label: "#17202e",
  selection: "#d9480f",
  witness: "#c92a2a",
  divergence: "#d6336c",
  hover: "#1c5fd4",
  stop: "#8a94a6",
} as const;

/** Opacity of everything outside the focused event's causal past. */
export const DIM_ALPHA = 0.28;

export type HighlightTone = "witness" | "divergence";

export const HIGHLIGHT_COLORS: Record<HighlightTone, string> = {
  witness: COLORS.witness,
  divergence: COLORS.divergence,
};

/** What each mark in the diagram means, in the lecture's words; the legend lists these. */
export const LEGEND: { id: string; label: string; hint: string }[] = [
  { id: "request", label: "Request", hint: "an arrow from the send to the delivery" },
  { id: "response", label: "Response", hint: "the server's answer" },
  { id: "retry", label: "Retry (resend)", hint: "the same request sent again after a timeout" },
  { id: "duplicate", label: "Duplicate copy", hint: "the network delivered a message twice" },
  { id: "drop", label: "Lost message", hint: "ends in a cross where it was lost, with the reason: loss, partition, fault rule" },
  { id: "drop-down", label: "Lost at a crashed receiver", hint: "arrives while the receiver is down" },
  { id: "slow", label: "Slow message", hint: "a delay fault: a long, shallow arrow" },
  { id: "timeout", label: "Timeout", hint: "the client's timer fired with no answer" },
  { id: "backoff", label: "Backoff", hint: "the client waits before resending" },
  { id: "process", label: "Processing", hint: "the server works on a request (longer when slow)" },
  { id: "execute", label: "Execution", hint: "the server runs the operation: twice is a double execution" },
  { id: "dedupe", label: "Dedupe hit", hint: "a repeat answered from the table, not executed" },
  { id: "accept", label: "Answer accepted", hint: "the client takes the response" },
  { id: "ignore", label: "Answer ignored", hint: "late or duplicate" },
  { id: "fail", label: "Request failed", hint: "no answer after the last retry" },
  { id: "crash", label: "Crash / down", hint: "the node's line is broken and greyed while it is down" },
  { id: "restart", label: "Restart", hint: "the node comes back" },
  { id: "byzantine", label: "Byzantine answer", hint: "a lie, equivocation, replay or random value; silent = never answers" },
];
