// JSONL export of a trace: one JSON object per event, in event order, as Trace.event(i) gives it.
// A generator for large traces, and a one-string form for small ones.

import type { Trace } from "./trace";

export function* traceJsonlLines(trace: Trace): Generator<string> {
  for (let i = 0; i < trace.length; i++) yield JSON.stringify(trace.event(i));
}

/** The whole trace as JSONL text (each line ends with a newline). */
export function traceToJsonl(trace: Trace): string {
  const parts: string[] = [];
  for (const line of traceJsonlLines(trace)) parts.push(line);
  return parts.length === 0 ? "" : parts.join("\n") + "\n";
}
