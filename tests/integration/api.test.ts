// The API as users meet it, called through tRPC procedures against a real database:
// creating and versioning scenarios, queueing runs, errors with field paths, and who
// may see what (someone else's private scenario or run is "not found").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { PROVIDERS, callerFor, codeOf, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { appRouter } from "@/server/api/root";
import { TEMPLATES } from "@/server/templates";
import { ACTIVE_RUNS_PER_USER_MAX } from "@/server/api/routers/run";
import type { SessionUser } from "@/server/auth/options";
import { sharedScenario } from "../helpers/scenarios";


describe.each(PROVIDERS)("API on %s", (provider) => {
  let t: TestDb;
  let alice: SessionUser;
  let bob: SessionUser;

  beforeAll(async () => {
    t = await createTestDb(provider);
    alice = await makeUser(t.db, "Alice");
    bob = await makeUser(t.db, "Bob");
  });
  afterAll(async () => t.drop());

  describe("accounts", () => {
    it("signs up with a hashed password and refuses a second account for the same email", async () => {
      const anon = callerFor(t, null, `ip-${provider}-1`);
      const user = await anon.user.signUp({ name: "Carol", email: `Carol.${provider}@Example.org`, password: "correct horse" });
      expect(user.email).toBe(`carol.${provider}@example.org`);
      const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(row.passwordHash).toMatch(/^\$2[aby]\$10\$/);
      expect(row.passwordHash).not.toContain("correct horse");
      await expect(anon.user.signUp({ name: "Carol", email: `carol.${provider}@example.org`, password: "another one" })).rejects.toThrow(/already exists/);
    });

    it("answers bad input with the field's path and message over HTTP, and no stack", async () => {
      const res = await fetchRequestHandler({
        endpoint: "/api/trpc",
        router: appRouter,
        req: new Request("http://test/api/trpc/user.signUp", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "", email: "nope", password: "short" }) }),
        createContext: () => ({ db: t.db, dbProvider: t.provider, user: null, ip: "http-test" }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { data: { fieldErrors: Record<string, string[]>; stack?: string } } };
      expect(body.error.data.fieldErrors).toMatchObject({ name: ["enter your name"], email: ["enter a valid email address"], password: ["at least 8 characters"] });
      expect(JSON.stringify(body)).not.toMatch(/stack|\.ts:|node_modules/);
    });
  });

  describe("scenarios", () => {
    it("creates a scenario from a template and keeps every saved version", async () => {
      const api = callerFor(t, alice);
      const { id } = await api.scenario.create({ templateId: "request-lost" });
      const v1 = await api.scenario.byId({ id });
      expect(v1.name).toBe("Request lost");
      expect(v1.version.number).toBe(1);
      expect(v1.faultKinds).toEqual(["drop"]);
      const edited = v1.version.source.replace("retries: 2", "retries: 4").replace("name: Request lost", "name: Request lost, more retries");
      expect(await api.scenario.saveVersion({ id, source: edited, baseVersion: 1 })).toEqual({ id, version: 2 });
      const latest = await api.scenario.byId({ id });
      expect(latest.name).toBe("Request lost, more retries");
      expect(latest.version.source).toContain("retries: 4");
      expect(latest.versions.map((v) => v.number)).toEqual([2, 1]);
      expect((await api.scenario.byId({ id, version: 1 })).version.source).toBe(v1.version.source);
      // An edit based on an old version is refused instead of silently replacing newer work.
      await expect(api.scenario.saveVersion({ id, source: edited, baseVersion: 1 })).rejects.toThrow(/newer version \(v2\)/);
    });

    it("refuses an invalid document, saying where each problem is, and stores nothing", async () => {
      const api = callerFor(t, alice);
      const before = await t.db.scenario.count();
      const bad = sharedScenario("01-request-lost.yaml").replace("node: C2", "node: C2").replace("from: C1, to: C2", "from: C1, to: C9");
      const err = await api.scenario.create({ source: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe("BAD_REQUEST");
      const problems = ((err as TRPCError).cause as unknown as { problems: { path: string; message: string; line?: number }[] }).problems;
      expect(problems.some((p) => p.path === "faults[0].match.to" && /C9/.test(p.message) && p.line === 18)).toBe(true);
      expect(await t.db.scenario.count()).toBe(before);
    });

    it("refuses an empty or oversized document with a clear message", async () => {
      const api = callerFor(t, alice);
      expect(await codeOf(api.scenario.create({ source: "   " }))).toBe("BAD_REQUEST");
      const huge = "# " + "x".repeat(300 * 1024);
      await expect(api.scenario.create({ source: huge })).rejects.toThrow(/KiB/);
    });

    it("lists my scenarios with search and paging", async () => {
      const carl = await makeUser(t.db, "Carl");
      const api = callerFor(t, carl);
      for (let i = 0; i < 23; i++) {
        await api.scenario.create({ source: TEMPLATES[i % TEMPLATES.length]!.source.replace(/^name: .*$/m, `name: Paging ${String(i).padStart(2, "0")}`) });
      }
      const page1 = await api.scenario.list({ page: 1, pageSize: 10, sort: "name" });
      const page3 = await api.scenario.list({ page: 3, pageSize: 10, sort: "name" });
      expect(page1.total).toBe(23);
      expect(page1.items.map((s) => s.name).slice(0, 2)).toEqual(["Paging 00", "Paging 01"]);
      expect(page3.items.map((s) => s.name)).toEqual(["Paging 20", "Paging 21", "Paging 22"]);
      expect((await api.scenario.list({ q: "paging 2", sort: "name" })).items.map((s) => s.name)).toEqual(["Paging 20", "Paging 21", "Paging 22"]);
      expect((await api.scenario.list({ faultKind: "crash" })).items.every((s) => s.faultKinds.includes("crash"))).toBe(true);
      // Nobody else's scenarios are in my list.
      expect((await callerFor(t, bob).scenario.list({})).items.some((s) => s.name.startsWith("Paging"))).toBe(false);
    });
  });

  describe("who may see what", () => {
    it("hides a private scenario and its runs from everyone else, as not found", async () => {
      const mine = callerFor(t, alice);
      const theirs = callerFor(t, bob);
      const anon = callerFor(t, null);
      const { id } = await mine.scenario.create({ templateId: "response-lost" });
      const run = await mine.run.create({ scenarioId: id });
      const attempts: (() => Promise<unknown>)[] = [
        () => theirs.scenario.byId({ id }),
        () => anon.scenario.byId({ id }),
        () => theirs.scenario.saveVersion({ id, source: TEMPLATES[0]!.source }),
        () => theirs.scenario.setVisibility({ id, visibility: "public" }),
        () => theirs.scenario.fork({ id }),
        () => theirs.run.create({ scenarioId: id }),
        () => theirs.run.byId({ id: run.id }),
        () => anon.run.byId({ id: run.id }),
        () => theirs.run.setVisibility({ id: run.id, visibility: "public" }),
        () => theirs.run.openSeed({ sweepId: run.id, seed: 1 }),
      ];
      for (const attempt of attempts) expect(await codeOf(attempt())).toBe("NOT_FOUND");
      expect(await codeOf(anon.run.create({ scenarioId: id }))).toBe("UNAUTHORIZED");
      expect(await codeOf(theirs.run.byId({ id: "x".repeat(500) }))).toBe("BAD_REQUEST");
      expect(await codeOf(theirs.run.byId({ id: "no-such-run" }))).toBe("NOT_FOUND");
    });

    it("shares unlisted by a token, revokes it, and lists public items in the gallery", async () => {
      const mine = callerFor(t, alice);
      const anon = callerFor(t, null);
      const { id } = await mine.scenario.create({ templateId: "byzantine-lie" });
      await mine.scenario.setVisibility({ id, visibility: "unlisted" });
      const { shareToken } = await mine.scenario.byId({ id });
      expect(shareToken).toMatch(/^[A-Za-z0-9_-]{24}$/); // 144 random bits
      const seen = await anon.scenario.byId({ id, token: shareToken! });
      expect(seen.isOwner).toBe(false);
      expect(seen.shareToken).toBeNull();
      expect(await codeOf(anon.scenario.byId({ id }))).toBe("NOT_FOUND");
      expect(await codeOf(anon.scenario.byId({ id, token: shareToken!.slice(0, -1) + (shareToken!.endsWith("A") ? "B" : "A") }))).toBe("NOT_FOUND");
      // Bob forks it through the link: an independent copy in his account.
      const fork = await callerFor(t, bob).scenario.fork({ id, token: shareToken! });
      expect((await callerFor(t, bob).scenario.byId({ id: fork.id })).isOwner).toBe(true);
      // A run shared by its own link lets a signed-in reader fork the version it ran.
      const run = await mine.run.create({ scenarioId: id });
      await mine.run.setVisibility({ id: run.id, visibility: "unlisted" });
      const runToken = (await mine.run.byId({ id: run.id })).shareToken!;
      expect(await codeOf(callerFor(t, bob).run.forkScenario({ id: run.id }))).toBe("NOT_FOUND");
      const runFork = await callerFor(t, bob).run.forkScenario({ id: run.id, token: runToken });
      expect((await callerFor(t, bob).scenario.byId({ id: runFork.id })).version.source).toBe((await mine.scenario.byId({ id })).version.source);
      const revoked = await mine.scenario.revokeLink({ id });
      expect(revoked.shareToken).not.toBe(shareToken);
      expect(await codeOf(anon.scenario.byId({ id, token: shareToken! }))).toBe("NOT_FOUND");
      expect((await anon.scenario.gallery({ q: "lies" })).items.some((s) => s.id === id)).toBe(false);
      await mine.scenario.setVisibility({ id, visibility: "public" });
      expect((await anon.scenario.byId({ id })).name).toBe("C2 lies");
      expect((await anon.scenario.gallery({})).items.some((s) => s.id === id)).toBe(true);
    });
  });

  describe("runs", () => {
    it("queues a run of the exact version, answering at once", async () => {
      const api = callerFor(t, alice);
      const { id } = await api.scenario.create({ templateId: "request-lost" });
      const run = await api.run.create({ scenarioId: id, seed: 42 });
      expect(run).toMatchObject({ status: "queued", kind: "single", seed: 42, seedCount: 1 });
      const source = (await api.scenario.byId({ id })).version.source;
      await api.scenario.saveVersion({ id, source: source.replace("retries: 2", "retries: 3") });
      const view = await api.run.byId({ id: run.id });
      expect(view.version.number).toBe(1);
      expect(view.version.source).toBe(source);
      const sweep = await api.run.create({ scenarioId: id, sweep: { seeds: 50 } });
      expect(sweep).toMatchObject({ kind: "sweep", seed: 1, seedCount: 50 });
      expect(await codeOf(api.run.create({ scenarioId: id, sweep: { seeds: 100_001 } }))).toBe("BAD_REQUEST");
      expect(await codeOf(api.run.create({ scenarioId: id, seed: -1 }))).toBe("BAD_REQUEST");
      expect(await codeOf(api.run.create({ scenarioId: id, seed: 2 ** 32 }))).toBe("BAD_REQUEST");
      expect(await codeOf(api.run.create({ scenarioId: id, version: 9 }))).toBe("NOT_FOUND");
    });

    it("filters my runs by scenario name and fault kind, and shows only public finished runs in the gallery", async () => {
      const erin = await makeUser(t.db, "Erin");
      const api = callerFor(t, erin);
      const lost = await api.scenario.create({ templateId: "request-lost" });
      const crash = await api.scenario.create({ templateId: "server-crash" });
      const r1 = await api.run.create({ scenarioId: lost.id });
      const r2 = await api.run.create({ scenarioId: crash.id });
      expect((await api.run.list({ q: "CRASHES" })).items.map((r) => r.id)).toEqual([r2.id]);
      expect((await api.run.list({ faultKind: "drop" })).items.map((r) => r.id)).toEqual([r1.id]);
      expect((await api.run.list({ sort: "oldest" })).items.map((r) => r.id)).toEqual([r1.id, r2.id]);
      // Public, but not finished and its scenario private: not in the gallery yet.
      await api.run.setVisibility({ id: r1.id, visibility: "public" });
      const anon = callerFor(t, null);
      expect((await anon.run.gallery({})).items.some((r) => r.id === r1.id)).toBe(false);
      await api.scenario.setVisibility({ id: lost.id, visibility: "public" });
      await t.db.run.update({ where: { id: r1.id }, data: { status: "done", verdict: "pass" } });
      expect((await anon.run.gallery({ verdict: "pass" })).items.some((r) => r.id === r1.id)).toBe(true);
      expect((await anon.run.gallery({ verdict: "fail" })).items.some((r) => r.id === r1.id)).toBe(false);
      // A filter cannot widen the gallery to runs that are not public.
      expect((await anon.run.gallery({ status: "queued" })).items.some((r) => r.id === r2.id)).toBe(false);
    });

    it("limits how many runs one account may have waiting", async () => {
      const dora = await makeUser(t.db, "Dora");
      const api = callerFor(t, dora);
      const { id } = await api.scenario.create({ templateId: "request-lost" });
      for (let i = 0; i < ACTIVE_RUNS_PER_USER_MAX; i++) await api.run.create({ scenarioId: id, seed: i });
      await expect(api.run.create({ scenarioId: id })).rejects.toThrow(/limit is 20/);
      expect(await t.db.run.count({ where: { ownerId: dora.id } })).toBe(ACTIVE_RUNS_PER_USER_MAX);
    });
  });
});
