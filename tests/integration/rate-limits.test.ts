// Limits that hold on each database: the run quota under parallel calls and batches; sign-in,
// sign-up and course-join limits kept in the database (so every web process counts the same
// attempts) that stop guessing without locking the owner out; every limit answering 429 with
// Retry-After.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, codeOf, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { errorOf, mutate, query, trpcFetch } from "../helpers/http";
import { ACTIVE_RUNS_PER_USER_MAX } from "@/server/api/routers/run";
import { TRPC_BATCH_CALLS_MAX } from "@/server/http/limits";
import { TRPCError } from "@trpc/server";
import { createDb } from "@/server/db/client";
import { hashPassword } from "@/server/auth/password";
import { checkCredentials, SignInRefused } from "@/server/auth/sign-in";
import {
  COURSE_JOINS_PER_USER_PER_MINUTE_MAX, SIGN_IN_FREE_FAILURES, SIGN_IN_STRANGER_FAILURES_PER_ACCOUNT_MAX, SIGN_IN_STRANGER_FAILURES_PER_ADDRESS_MAX,
  SIGN_UPS_PER_ADDRESS_PER_HOUR_MAX,
} from "@/server/auth/limits";

const PASSWORD = "correct horse battery";

/** A sign-in's outcome: "ok", "wrong" (refused password) or "limited" with the wait. */
async function signIn(t: TestDb, email: string, password: string, address: string, now?: Date): Promise<"ok" | "wrong" | { limited: number; message: string }> {
  try {
    return (await checkCredentials(t.db, { email, password }, address, now)) ? "ok" : "wrong";
  } catch (err) {
    if (err instanceof SignInRefused) return { limited: err.retryAfterSeconds, message: err.message };
    throw err;
  }
}

describe.each(PROVIDERS)("rate limits on %s", (provider) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => t.drop());

  it("creates at most the run quota from 100 parallel run.create calls", async () => {
    const dora = await makeUser(t.db, "Dora");
    const api = callerFor(t, dora);
    const { id } = await api.scenario.create({ templateId: "request-lost" });
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, seed) => api.run.create({ scenarioId: id, seed })));
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as unknown);
    expect(refused.every((e) => e instanceof TRPCError && e.code === "TOO_MANY_REQUESTS"), String(refused.find((e) => !(e instanceof TRPCError && e.code === "TOO_MANY_REQUESTS")))).toBe(true);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(ACTIVE_RUNS_PER_USER_MAX);
    expect(await t.db.run.count({ where: { ownerId: dora.id } })).toBe(ACTIVE_RUNS_PER_USER_MAX);
    // Over HTTP, the refusal is a 429 that says when to try again.
    const res = await mutate(t, "run.create", { scenarioId: id }, { user: dora });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(errorOf(res).data.retryAfterSeconds).toBe(Number(res.headers.get("retry-after")));
    expect(errorOf(res).message).toMatch(/limit is 20/);
  });

  it("refuses a batch of 100 run.create in one request, and counts each call of an allowed batch", async () => {
    const erin = await makeUser(t.db, "Erin");
    const { id } = await callerFor(t, erin).scenario.create({ templateId: "request-lost" });
    const batch = (n: number) => {
      const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { scenarioId: id, seed: i }]));
      const paths = Array.from({ length: n }, () => "run.create").join(",");
      return new Request(`http://localhost/api/trpc/${paths}?batch=1`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
    };
    const big = await trpcFetch(t, batch(100), { user: erin });
    expect(big.status).toBe(400);
    expect(JSON.stringify(await big.json())).toMatch(new RegExp(`at most ${TRPC_BATCH_CALLS_MAX} calls`));
    expect(await t.db.run.count({ where: { ownerId: erin.id } })).toBe(0);
    // Allowed batches, one after another: the quota still holds across them.
    for (let i = 0; i < 3; i++) await (await trpcFetch(t, batch(TRPC_BATCH_CALLS_MAX), { user: erin })).text();
    expect(await t.db.run.count({ where: { ownerId: erin.id } })).toBe(ACTIVE_RUNS_PER_USER_MAX);
  });

  describe("sign-in", () => {
    async function account(name: string) {
      const email = `${name.toLowerCase()}-${provider}-${Math.random().toString(36).slice(2)}@example.org`;
      await t.db.user.create({ data: { email, name, passwordHash: await hashPassword(PASSWORD) } });
      return email;
    }

    it("stops guessing one account from many addresses, while its owner still signs in where they did before", async () => {
      const email = await account("Owner");
      expect(await signIn(t, email, PASSWORD, "10.0.0.1")).toBe("ok");
      const guesses = [];
      for (let i = 0; i < SIGN_IN_STRANGER_FAILURES_PER_ACCOUNT_MAX + 5; i++) guesses.push(await signIn(t, email, `guess ${i}`, `203.0.113.${i + 1}`));
      expect(guesses.slice(0, SIGN_IN_STRANGER_FAILURES_PER_ACCOUNT_MAX).every((g) => g === "wrong")).toBe(true);
      expect(guesses.slice(SIGN_IN_STRANGER_FAILURES_PER_ACCOUNT_MAX).every((g) => typeof g === "object" && g.limited > 60)).toBe(true);
      // The owner, from the address they signed in from before: not held up by the strangers.
      expect(await signIn(t, email, PASSWORD, "10.0.0.1")).toBe("ok");
      // The right password from a new place is refused too while the account is under attack (the price of the cap).
      expect(await signIn(t, email, PASSWORD, "198.51.100.7")).toMatchObject({ message: expect.stringMatching(/from where you signed in before/) });
    });

    it("stops one address from guessing across many accounts", async () => {
      const results = [];
      for (let i = 0; i < SIGN_IN_STRANGER_FAILURES_PER_ADDRESS_MAX + 2; i++) results.push(await signIn(t, `nobody${i}-${provider}@example.org`, "guess", "192.0.2.99"));
      expect(results.slice(0, SIGN_IN_STRANGER_FAILURES_PER_ADDRESS_MAX).every((r) => r === "wrong")).toBe(true);
      expect(results.slice(SIGN_IN_STRANGER_FAILURES_PER_ADDRESS_MAX)).toEqual([expect.objectContaining({ limited: expect.any(Number) }), expect.objectContaining({ limited: expect.any(Number) })]);
      // Another address is not affected.
      expect(await signIn(t, `nobody0-${provider}@example.org`, "guess", "192.0.2.100")).toBe("wrong");
    });

    it("backs off with doubling waits at one address, and a success starts over", async () => {
      const email = await account("Typist");
      const home = "10.1.1.1";
      const t0 = Date.now();
      const at = (ms: number) => new Date(t0 + ms);
      for (let i = 0; i < SIGN_IN_FREE_FAILURES; i++) expect(await signIn(t, email, "typo", home, at(i))).toBe("wrong");
      expect(await signIn(t, email, PASSWORD, home, at(10))).toMatchObject({ limited: 1 });
      expect(await signIn(t, email, "typo", home, at(1_010))).toBe("wrong");
      expect(await signIn(t, email, PASSWORD, home, at(1_020))).toMatchObject({ limited: 2 });
      expect(await signIn(t, email, PASSWORD, home, at(3_100))).toBe("ok");
      // Counted again from the success: five free failures.
      for (let i = 0; i < SIGN_IN_FREE_FAILURES; i++) expect(await signIn(t, email, "typo", home, at(3_200 + i))).toBe("wrong");
    });

    it("counts attempts sent at the same moment, and counts them in the database, not per process", async () => {
      const email = await account("Burst");
      // Two web processes: two database clients on the same database.
      const other = createDb(t.url);
      try {
        const both = [t, { ...t, db: other }];
        const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(both[i % 2]!, email, `guess ${i}`, "10.9.9.9")));
        // Attempts that see each other may all wait; never more than the free ones check a password.
        const checked = burst.filter((r) => r === "wrong").length;
        expect(checked).toBeLessThanOrEqual(SIGN_IN_FREE_FAILURES);
        expect(burst.filter((r) => typeof r === "object")).toHaveLength(20 - checked);
      } finally {
        await other.$disconnect();
      }
    });
  });

  it("limits sign-ups per address across web processes, with 429 and Retry-After", async () => {
    const other = createDb(t.url);
    try {
      const address = `198.18.${provider === "sqlite" ? 1 : 2}.1`;
      for (let i = 0; i < SIGN_UPS_PER_ADDRESS_PER_HOUR_MAX; i++) {
        const db = i % 2 ? other : t.db;
        await callerFor({ ...t, db }, null, address).user.signUp({ name: `User ${i}`, email: `signup${i}-${provider}@example.org`, password: PASSWORD });
      }
      const res = await mutate(t, "user.signUp", { name: "One more", email: `signup-more-${provider}@example.org`, password: PASSWORD }, { ip: address });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);
      expect(errorOf(res).message).toMatch(/Too many accounts were created from here/);
      expect((await mutate(t, "user.signUp", { name: "Elsewhere", email: `signup-elsewhere-${provider}@example.org`, password: PASSWORD }, { ip: "198.18.9.9" })).status).toBe(200);
    } finally {
      await other.$disconnect();
    }
  });

  it("limits course join attempts per account, previews included", async () => {
    const guesser = await makeUser(t.db, "Guesser");
    const api = callerFor(t, guesser);
    for (let i = 0; i < COURSE_JOINS_PER_USER_PER_MINUTE_MAX; i++) expect(await codeOf(api.course.preview({ code: `GUESS${i}` }))).toBe("NOT_FOUND");
    const res = await query(t, "course.preview", { code: "GUESS-MORE" }, { user: guesser });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await codeOf(api.course.join({ code: "GUESS-AGAIN" }))).toBe("TOO_MANY_REQUESTS");
  });
});
