// Rate limits on sign-in, sign-up and joining courses, counted in the database (Attempt rows) so
// every web process sees the same counts. Sign-in limits are built so an attacker cannot lock the
// real owner out:
//   - Per account and address, a few free failures, then a doubling wait (backoff). The owner
//     mistyping at home waits seconds, never longer than SIGN_IN_BACKOFF_MS_MAX, and only there.
//   - Per account, and per address, a cap on failures from "strangers": addresses that have not
//     signed in to that account in the last KNOWN_ADDRESS_DAYS. Guessing one account from many
//     addresses, or many accounts from one address, hits these caps; the owner signing in from an
//     address they used before is not counted as a stranger and is never held up by them.
// What it does not prevent: an attacker with many addresses can keep the per-account cap full, and
// then the owner is held up at addresses they never used (a new café) until the window passes;
// their usual addresses, and GitHub sign-in, keep working. docs/security.md has the figures.
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/db/generated/sqlite/client";
import { addressKey } from "@/server/http/client-address";
import { env } from "@/server/env";

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The window every sign-in failure count looks back over. */
export const SIGN_IN_WINDOW_MS = HOUR_MS;
/** Failures one address may make on one account (since its last success there) before the backoff starts. */
export const SIGN_IN_FREE_FAILURES = 5;
/** The first backoff wait; each further failure doubles it. */
export const SIGN_IN_BACKOFF_MS_BASE = SECOND_MS;
/** The longest backoff wait. */
export const SIGN_IN_BACKOFF_MS_MAX = 15 * MINUTE_MS;
/** Failures from strangers one account may receive per window. */
export const SIGN_IN_STRANGER_FAILURES_PER_ACCOUNT_MAX = 20;
/** Failures one address may make per window on accounts it is a stranger to (spraying). */
export const SIGN_IN_STRANGER_FAILURES_PER_ADDRESS_MAX = 30;
/** How long a successful sign-in makes its address known to the account. */
export const KNOWN_ADDRESS_DAYS = 90;

/**
 * Accounts one address may create per hour (a class behind one campus address signs up together:
 * generous). `SIGN_UPS_PER_ADDRESS_PER_HOUR` sets it (the browser tests sign up from one address
 * many times an hour).
 */
export const SIGN_UPS_PER_ADDRESS_PER_HOUR_MAX = env.SIGN_UPS_PER_ADDRESS_PER_HOUR;
/** Join attempts (previews and joins) one account may make per minute, so join codes cannot be guessed. */
export const COURSE_JOINS_PER_USER_PER_MINUTE_MAX = 20;

/** Attempts are pruned at most this often per process. */
const PRUNE_INTERVAL_MS = 10 * MINUTE_MS;
/** Failed and other attempts are kept this long (longer than any window). */
const ATTEMPT_KEEP_MS = DAY_MS;

export type LimitDecision = { ok: true; attemptId: string } | { ok: false; retryAfterSeconds: number; message: string };

type Kind = "sign-in" | "sign-up" | "course-join";
const FAILED_OR_PENDING = ["failed", "pending"];

function refuse(retryAfterMs: number, message: (wait: string) => string): LimitDecision {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return { ok: false, retryAfterSeconds: seconds, message: message(formatWait(seconds)) };
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.ceil(seconds / 3600)} h`;
}

// Sign-in --------------------------------------------------------------------------------

/**
 * Decides whether a sign-in attempt for `email` from `address` may check its password. An allowed
 * attempt is recorded as pending (counted as a failure until finishSignIn says otherwise), so
 * attempts sent at the same moment count each other.
 */
export async function beginSignIn(db: Db, email: string, address: string, now = new Date()): Promise<LimitDecision> {
  const key = addressKey(address);
  prune(db, now);
  const known = await isKnown(db, email, key, now);
  // Decide on what is there, record the attempt, then decide again counting the attempts that
  // were recorded meanwhile: the first decision saves a write when the answer is already no.
  const before = await signInDecision(db, email, key, known, now, null);
  if (before) return before;
  const attempt = await db.attempt.create({ data: { kind: "sign-in", subject: email, address: key, stranger: !known, createdAt: now }, select: { id: true } });
  const after = await signInDecision(db, email, key, known, now, attempt.id);
  if (after) {
    await db.attempt.delete({ where: { id: attempt.id } });
    return after;
  }
  return { ok: true, attemptId: attempt.id };
}

export async function finishSignIn(db: Db, attemptId: string, succeeded: boolean): Promise<void> {
  await db.attempt.update({ where: { id: attemptId }, data: { outcome: succeeded ? "ok" : "failed" }, select: { id: true } });
}

async function isKnown(db: Db, email: string, key: string, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - KNOWN_ADDRESS_DAYS * DAY_MS);
  return Boolean(await db.attempt.findFirst({ where: { kind: "sign-in", subject: email, address: key, outcome: "ok", createdAt: { gte: since } }, select: { id: true } }));
}

/** A refusal, or null when the attempt may go ahead. `mine`: the caller's own recorded attempt, not counted. */
async function signInDecision(db: Db, email: string, key: string, known: boolean, now: Date, mine: string | null): Promise<LimitDecision | null> {
  const windowStart = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const notMine = mine ? { id: { not: mine } } : {};

  // Backoff for this account at this address, counting failures since its last success here.
  const lastOk = await db.attempt.findFirst({
    where: { kind: "sign-in", subject: email, address: key, outcome: "ok", createdAt: { gte: windowStart } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  const since = lastOk && lastOk.createdAt > windowStart ? lastOk.createdAt : windowStart;
  const failures = await db.attempt.findMany({
    where: { kind: "sign-in", subject: email, address: key, outcome: { in: FAILED_OR_PENDING }, createdAt: { gt: since, lte: now }, ...notMine },
    orderBy: { createdAt: "desc" },
    take: SIGN_IN_FREE_FAILURES + 32,
    select: { createdAt: true },
  });
  if (failures.length >= SIGN_IN_FREE_FAILURES) {
    const waitMs = Math.min(SIGN_IN_BACKOFF_MS_MAX, SIGN_IN_BACKOFF_MS_BASE * 2 ** (failures.length - SIGN_IN_FREE_FAILURES));
    const allowedAt = failures[0]!.createdAt.getTime() + waitMs;
    if (now.getTime() < allowedAt) {
      return refuse(allowedAt - now.getTime(), (w) => `Too many failed sign-ins to this account from here. Try again in ${w}.`);
    }
  }
  if (known) return null;

  // Strangers: failures on this account from addresses new to it, and from this address on accounts it is new to.
  const strangerFailures = { kind: "sign-in", stranger: true, outcome: { in: FAILED_OR_PENDING }, createdAt: { gt: windowStart, lte: now }, ...notMine };
  const onAccount = await oldestIfOver(db, { ...strangerFailures, subject: email }, SIGN_IN_STRANGER_FAILURES_PER_ACCOUNT_MAX);
  if (onAccount) {
    return refuse(onAccount.getTime() + SIGN_IN_WINDOW_MS - now.getTime(), (w) => `This account has had too many failed sign-ins from new places. Try again in ${w}, or from where you signed in before.`);
  }
  const fromAddress = await oldestIfOver(db, { ...strangerFailures, address: key }, SIGN_IN_STRANGER_FAILURES_PER_ADDRESS_MAX);
  if (fromAddress) {
    return refuse(fromAddress.getTime() + SIGN_IN_WINDOW_MS - now.getTime(), (w) => `Too many failed sign-ins from here. Try again in ${w}.`);
  }
  return null;
}

/**
 * When at least `max` rows match: the time of the one whose leaving the window frees a place
 * (the max-th newest). Null when fewer match.
 */
async function oldestIfOver(db: Db, where: Prisma.AttemptWhereInput, max: number): Promise<Date | null> {
  const rows = await db.attempt.findMany({ where, orderBy: { createdAt: "desc" }, take: max, select: { createdAt: true } });
  return rows.length >= max ? rows[max - 1]!.createdAt : null;
}

// Sign-up and course joins: a plain sliding window ------------------------------------------

async function takeWindowed(
  db: Db,
  opts: { kind: Kind; subject: string; address: string; by: "subject" | "address"; max: number; windowMs: number; now: Date },
  message: (wait: string) => string,
): Promise<LimitDecision> {
  prune(db, opts.now);
  const windowStart = new Date(opts.now.getTime() - opts.windowMs);
  const match = { kind: opts.kind, createdAt: { gt: windowStart, lte: opts.now }, ...(opts.by === "subject" ? { subject: opts.subject } : { address: opts.address }) };
  const decide = async (mine: string | null) => {
    const oldest = await oldestIfOver(db, { ...match, ...(mine ? { id: { not: mine } } : {}) }, opts.max);
    return oldest ? refuse(oldest.getTime() + opts.windowMs - opts.now.getTime(), message) : null;
  };
  const before = await decide(null);
  if (before) return before;
  const attempt = await db.attempt.create({ data: { kind: opts.kind, subject: opts.subject, address: opts.address, outcome: "ok", createdAt: opts.now }, select: { id: true } });
  const after = await decide(attempt.id);
  if (after) {
    await db.attempt.delete({ where: { id: attempt.id } });
    return after;
  }
  return { ok: true, attemptId: attempt.id };
}

export function takeSignUp(db: Db, address: string, now = new Date()): Promise<LimitDecision> {
  return takeWindowed(
    db,
    { kind: "sign-up", subject: "", address: addressKey(address), by: "address", max: SIGN_UPS_PER_ADDRESS_PER_HOUR_MAX, windowMs: HOUR_MS, now },
    (w) => `Too many accounts were created from here in the last hour. Try again in ${w}.`,
  );
}

export function takeCourseJoin(db: Db, userId: string, address: string, now = new Date()): Promise<LimitDecision> {
  return takeWindowed(
    db,
    { kind: "course-join", subject: userId, address: addressKey(address), by: "subject", max: COURSE_JOINS_PER_USER_PER_MINUTE_MAX, windowMs: MINUTE_MS, now },
    (w) => `Too many join attempts. Try again in ${w}.`,
  );
}

// Pruning ----------------------------------------------------------------------------------

const lastPrune = new WeakMap<Db, number>();

/** Deletes attempts no window looks at any more, at most once per PRUNE_INTERVAL_MS per database client; never awaited. */
function prune(db: Db, now: Date): void {
  const last = lastPrune.get(db) ?? 0;
  if (now.getTime() - last < PRUNE_INTERVAL_MS) return;
  lastPrune.set(db, now.getTime());
  const keepFrom = new Date(now.getTime() - ATTEMPT_KEEP_MS);
  const knownFrom = new Date(now.getTime() - KNOWN_ADDRESS_DAYS * DAY_MS);
  db.attempt
    .deleteMany({ where: { OR: [{ createdAt: { lt: knownFrom } }, { createdAt: { lt: keepFrom }, NOT: { kind: "sign-in", outcome: "ok" } }] } })
    .catch((err: unknown) => console.error("[limits] pruning attempts failed:", err));
}
