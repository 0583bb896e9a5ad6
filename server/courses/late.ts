// The late policy's arithmetic, judged by the time a submission was stored: on time, late
// by whole days (each started day counts) with a penalty, or refused past the cut-off.
import { roundPoints, type TLatePolicy } from "./definition";

export const DAY_MS = 24 * 60 * 60 * 1000;

export type Lateness =
  | { accepted: true; daysLate: number; penaltyPercent: number }
  | { accepted: false; reason: string };

export function judgeLateness(policy: TLatePolicy, deadline: Date, submittedAt: Date): Lateness {
  const lateMs = submittedAt.getTime() - deadline.getTime();
  if (lateMs <= 0) return { accepted: true, daysLate: 0, penaltyPercent: 0 };
  if (policy.kind === "none") {
    return { accepted: false, reason: `The deadline (${formatUtc(deadline)}) has passed, and this assignment takes no late submissions.` };
  }
  if (lateMs > policy.cutoffDays * DAY_MS) {
    const cutoff = new Date(deadline.getTime() + policy.cutoffDays * DAY_MS);
    return { accepted: false, reason: `Late submissions closed at ${formatUtc(cutoff)} (${policy.cutoffDays} day${policy.cutoffDays === 1 ? "" : "s"} after the deadline).` };
  }
  const daysLate = Math.ceil(lateMs / DAY_MS);
  return { accepted: true, daysLate, penaltyPercent: Math.min(100, roundPoints(policy.percentPerDay * daysLate)) };
}

/** The score after the late penalty, to two decimals. */
export function applyPenalty(points: number, penaltyPercent: number): number {
  return roundPoints(points * (1 - Math.min(100, Math.max(0, penaltyPercent)) / 100));
}

export function formatUtc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function describeLatePolicy(policy: TLatePolicy): string {
  if (policy.kind === "none") return "No late submissions.";
  return `Late submissions lose ${policy.percentPerDay}% per started day, up to ${policy.cutoffDays} day${policy.cutoffDays === 1 ? "" : "s"} after the deadline.`;
}
