// Limits that hold on each database: the run quota under parallel calls and batches, and every
// limit answering 429 with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { errorOf, mutate, trpcFetch } from "../helpers/http";
import { ACTIVE_RUNS_PER_USER_MAX } from "@/server/api/routers/run";
import { TRPC_BATCH_CALLS_MAX } from "@/server/http/limits";
import { TRPCError } from "@trpc/server";

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
});
