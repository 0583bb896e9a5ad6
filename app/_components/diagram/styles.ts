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
  pause: "#1098ad",
  pauseBand: "rgba(16, 152, 173, 0.1)",
  grid: "#eef0f4",
  axis: "#5b6576",
  label: "#17202e",
  selection: "#d9480f",
  witness: "#c92a2a",
  divergence: "#d6336c",
  hover: "#1c5fd4",
  stop: "#8a94a6",
  note: "#7048e8",
} as const;

/** Arrow colours of a run of nodes: one per message type, in the order types first appear. */
export const TYPE_PALETTE = ["#2f5fb3", "#1f8a4c", "#b26b00", "#0b7285", "#9c36b5", "#5f3dc4", "#c2255c", "#2b8a3e", "#e8590c", "#1864ab", "#495057", "#a61e4d"] as const;

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
  { id: "pause", label: "Pause", hint: "a pause fault: the node keeps its state but processes nothing; what arrives waits for the resume" },
  { id: "byzantine", label: "Byzantine answer", hint: "a lie, equivocation, replay or random value; silent = never answers" },
];

/** The legend of a run of nodes (programs, built-in protocols): arrows are coloured by message type, listed beside these. */
export const NODE_LEGEND: { id: string; label: string; hint: string }[] = [
  { id: "drop", label: "Lost message", hint: "ends in a cross where it was lost: loss, partition, fault rule, receiver down" },
  { id: "duplicate", label: "Duplicate copy", hint: "the network delivered a message twice" },
  { id: "invoke", label: "Operation invoked", hint: "a workload client starts an operation" },
  { id: "accept", label: "Operation succeeded", hint: "the client got its answer" },
  { id: "fail", label: "Operation failed or unanswered", hint: "an error reply, or no answer before the client's timeout" },
  { id: "timer", label: "Timer", hint: "a node's timer fired" },
  { id: "note", label: "Protocol note", hint: "role, term, vote, decision: what the protocol says about itself" },
  { id: "log", label: "Log line", hint: "the node wrote to its log (standard error)" },
  { id: "node-error", label: "Node error", hint: "the node failed by itself: an exception, fuel or memory exhausted, bad output" },
  { id: "crash", label: "Crash / down", hint: "the node's line is broken and greyed while it is down" },
  { id: "restart", label: "Start / restart", hint: "the node (re)starts with a fresh state and is sent init" },
  { id: "pause", label: "Pause", hint: "a pause fault: the node keeps its state but processes nothing; what arrives waits for the resume" },
];
