// What a client sees when something breaks on our side: a generic message with an id
// to quote, the right status, and nothing internal (no stack, SQL or file path).
import { describe, expect, it, vi } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import type { Db } from "@/server/db";

describe("unexpected errors", () => {
  it("reach the client as INTERNAL_SERVER_ERROR with an id and no internals", async () => {
    const leaky = new Error('SELECT "passwordHash" FROM "User" failed at /work/main/server/db/client.ts:42');
    const brokenDb = new Proxy({}, { get: () => new Proxy(() => undefined, { get: () => () => Promise.reject(leaky), apply: () => Promise.reject(leaky) }) }) as unknown as Db;
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      router: appRouter,
      req: new Request("http://test/api/trpc/scenario.gallery?input=" + encodeURIComponent(JSON.stringify({}))),
      createContext: () => ({ db: brokenDb, dbProvider: "sqlite" as const, user: null, ip: "t" }),
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toMatch(/Something went wrong on our side\. It has been logged \(error [0-9a-f]{8}\)\./);
    expect(text).not.toMatch(/SELECT|passwordHash|\/work\/|\.ts|stack/);
    // The server log keeps the whole story.
    expect(logged.mock.calls.some((c) => String(c[0]).includes("scenario.gallery failed") && c[1] === leaky)).toBe(true);
    logged.mockRestore();
  });
});
