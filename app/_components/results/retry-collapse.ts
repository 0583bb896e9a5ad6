// Collapsing retries: a request that was sent several times is drawn once, by the attempt that
// decided it (the one whose answer was accepted, else the last), with a "×N" badge at its send;
// the other attempts' messages, the server's work on them, timeouts and backoff waits are hidden.

import type { Trace } from "@/server/sim/trace/trace";
import { EV_ACCEPT, EV_BACKOFF, EV_FAIL, EV_ISSUE, EV_RESEND, EV_SEND, EV_TIMEOUT } from "@/server/sim/trace/kinds";
import { requestOf } from "./focus";

export interface RetryCollapse {
  /** Per event: 1 when collapsing hides it. */
  hidden: Uint8Array;
  hiddenCount: number;
  /** One badge per retried request: the kept attempt's send event and how many attempts there were. */
  badges: { index: number; attempts: number }[];
}

/** Whether a trace has retries to collapse (only request-response messages carry attempt numbers). */
export function hasAttempts(trace: Trace): boolean {
  return trace.data.layout === "request-response";
}

export function collapseRetries(trace: Trace): RetryCollapse {
  const d = trace.data;
  const hidden = new Uint8Array(d.length);
  if (d.layout !== "request-response") return { hidden, hiddenCount: 0, badges: [] };
  const reqs = d.requests.count;
  const msgs = d.messages;
  // Per request: how many attempts went out, and which one decided it.
  const attempts = new Uint16Array(reqs);
  const decided = new Uint16Array(reqs);
  const keptSend = new Int32Array(reqs).fill(-1);
  for (let i = 0; i < d.length; i++) {
    const k = d.kind[i]!;
    if (k === EV_SEND || k === EV_RESEND) {
      const m = d.ref[i]!;
      const r = msgs.request[m]!;
      if (msgs.attempt[m]! > attempts[r]!) attempts[r] = msgs.attempt[m]!;
    } else if (k === EV_ACCEPT) {
      const m = d.ref[i]!;
      const r = msgs.request[m]!;
      if (decided[r] === 0) decided[r] = msgs.attempt[m]!;
    }
  }
  for (let r = 0; r < reqs; r++) if (decided[r] === 0) decided[r] = attempts[r]!;
  let hiddenCount = 0;
  for (let i = 0; i < d.length; i++) {
    const r = requestOf(trace, i);
    if (r < 0 || attempts[r]! <= 1) continue;
    const k = d.kind[i]!;
    const keep = decided[r]!;
    let hide: boolean;
    if (k === EV_BACKOFF) hide = true;
    else if (k === EV_TIMEOUT) hide = d.aux[i] !== keep;
    else if (k === EV_ACCEPT) hide = false; // the answer that counted stays, whichever attempt it answered
    else if (k === EV_ISSUE || k === EV_FAIL) hide = false;
    else hide = msgs.attempt[d.ref[i]!] !== keep; // every other kind here refers to a message of the request
    if (hide) {
      hidden[i] = 1;
      hiddenCount++;
    } else if ((k === EV_SEND || k === EV_RESEND) && msgs.type[d.ref[i]!] === 0) {
      keptSend[r] = i;
    }
  }
  const badges: RetryCollapse["badges"] = [];
  for (let r = 0; r < reqs; r++) if (attempts[r]! > 1 && keptSend[r]! >= 0) badges.push({ index: keptSend[r]!, attempts: attempts[r]! });
  badges.sort((a, b) => a.index - b.index);
  return { hidden, hiddenCount, badges };
}
