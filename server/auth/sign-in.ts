// Checking an email and password under the sign-in limits (server/auth/limits.ts). next-auth calls
// this from the credentials provider; the auth route gives it the client's address and, when a
// limit refuses the attempt, answers 429 with Retry-After instead of next-auth's 401.
import { AsyncLocalStorage } from "node:async_hooks";
import { z } from "zod";
import type { Db } from "@/server/db";
import { verifyPassword } from "./password";
import { beginSignIn, finishSignIn } from "./limits";

export const ZCredentials = z.object({ email: z.string().trim().toLowerCase().email().max(254), password: z.string().min(1).max(200) });

export interface SignedIn {
  id: string;
  email: string;
  name: string;
}

/** A sign-in attempt refused by a limit, before its password was checked. */
export class SignInRefused extends Error {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
    this.name = "SignInRefused";
  }
}

/** The user these credentials belong to, or null; throws SignInRefused when a limit says wait. */
export async function checkCredentials(db: Db, raw: unknown, address: string, now = new Date()): Promise<SignedIn | null> {
  const parsed = ZCredentials.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const decision = await beginSignIn(db, email, address, now);
  if (!decision.ok) throw new SignInRefused(decision.message, decision.retryAfterSeconds);
  // Should anything below fail, the attempt stays pending and counts as failed: an error never buys a free guess.
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : false;
  await finishSignIn(db, decision.attemptId, ok);
  return ok && user ? { id: user.id, email: user.email, name: user.name } : null;
}

/** What the auth route knows about the request next-auth is handling. */
export interface SignInRequest {
  address: string;
  refused: SignInRefused | null;
}

export const signInRequest = new AsyncLocalStorage<SignInRequest>();
