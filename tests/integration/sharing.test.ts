// Sharing on each database: what a reader of someone else's shared item learns (no user ids), a
// deleted scenario taking its shared runs and its document off the web, and an item made unlisted
// again getting a new link so the old one stays dead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, codeOf, createTestDb, makeUser, type TestDb } from "../helpers/db";
import type { SessionUser } from "@/server/auth/options";

describe.each(PROVIDERS)("sharing on %s", (provider) => {
  let t: TestDb;
  let alice: SessionUser;
  let bob: SessionUser;

  beforeAll(async () => {
    t = await createTestDb(provider);
    alice = await makeUser(t.db, "Alice");
    bob = await makeUser(t.db, "Bob");
  });
  afterAll(async () => t.drop());

  it("never tells readers of a shared scenario or run, or students of a course, another user's id", async () => {
    const mine = callerFor(t, alice);
    const { id } = await mine.scenario.create({ templateId: "request-lost" });
    await mine.scenario.setVisibility({ id, visibility: "public" });
    const run = await mine.run.create({ scenarioId: id });
    await mine.run.setVisibility({ id: run.id, visibility: "public" });
    await t.db.run.update({ where: { id: run.id }, data: { status: "done", verdict: "pass" } });
    const course = await mine.course.create({ title: "Systems" });
    const { joinCode } = (await mine.course.byId({ id: course.id })) as { joinCode: string };
    await callerFor(t, bob).course.join({ code: joinCode });

    for (const reader of [callerFor(t, null), callerFor(t, bob)]) {
      const seen = [
        await reader.run.byId({ id: run.id }),
        await reader.run.status({ id: run.id }),
        await reader.run.gallery({}),
        await reader.scenario.byId({ id }),
        await reader.scenario.gallery({}),
      ];
      for (const output of seen) expect(JSON.stringify(output)).not.toContain(alice.id);
    }
    const student = callerFor(t, bob);
    for (const output of [await student.course.byId({ id: course.id }), await student.course.list()]) expect(JSON.stringify(output)).not.toContain(alice.id);
  });

  it("takes a deleted scenario's public and unlisted runs, and its document, off the web", async () => {
    const mine = callerFor(t, alice);
    const { id } = await mine.scenario.create({ templateId: "server-crash" });
    await mine.scenario.setVisibility({ id, visibility: "public" });
    const pub = await mine.run.create({ scenarioId: id });
    const unl = await mine.run.create({ scenarioId: id, seed: 7 });
    await mine.run.setVisibility({ id: pub.id, visibility: "public" });
    await mine.run.setVisibility({ id: unl.id, visibility: "unlisted" });
    const token = (await mine.run.byId({ id: unl.id })).shareToken!;
    const anon = callerFor(t, null);
    expect((await anon.run.byId({ id: pub.id })).version.source).toContain("crash");
    expect((await anon.run.byId({ id: unl.id, token })).id).toBe(unl.id);

    await mine.scenario.delete({ id });
    for (const reader of [anon, callerFor(t, bob)]) {
      expect(await codeOf(reader.run.byId({ id: pub.id }))).toBe("NOT_FOUND");
      expect(await codeOf(reader.run.byId({ id: unl.id, token }))).toBe("NOT_FOUND");
      expect(await codeOf(reader.run.status({ id: pub.id }))).toBe("NOT_FOUND");
      expect(await codeOf(reader.scenario.byId({ id }))).toBe("NOT_FOUND");
    }
    expect(await codeOf(callerFor(t, bob).run.forkScenario({ id: unl.id, token }))).toBe("NOT_FOUND");
    // Even a run still marked public (deleted before runs went private with their scenario) stays unreadable.
    await t.db.run.update({ where: { id: pub.id }, data: { visibility: "public" } });
    expect(await codeOf(anon.run.byId({ id: pub.id }))).toBe("NOT_FOUND");
    // Its owner still has their run.
    expect((await mine.run.byId({ id: pub.id })).isOwner).toBe(true);
  });

  it("gives an item made unlisted again a new link, so the old one stays dead", async () => {
    const mine = callerFor(t, alice);
    const anon = callerFor(t, null);
    const { id } = await mine.scenario.create({ templateId: "response-lost" });
    await mine.scenario.setVisibility({ id, visibility: "unlisted" });
    const first = (await mine.scenario.byId({ id })).shareToken!;
    expect((await anon.scenario.byId({ id, token: first })).id).toBe(id);
    await mine.scenario.setVisibility({ id, visibility: "private" });
    await mine.scenario.setVisibility({ id, visibility: "unlisted" });
    const second = (await mine.scenario.byId({ id })).shareToken!;
    expect(second).not.toBe(first);
    expect(await codeOf(anon.scenario.byId({ id, token: first }))).toBe("NOT_FOUND");
    expect((await anon.scenario.byId({ id, token: second })).id).toBe(id);
    // Saying "unlisted" again while it is unlisted keeps the link.
    await mine.scenario.setVisibility({ id, visibility: "unlisted" });
    expect((await mine.scenario.byId({ id })).shareToken).toBe(second);

    const run = await mine.run.create({ scenarioId: id });
    await mine.run.setVisibility({ id: run.id, visibility: "unlisted" });
    const runFirst = (await mine.run.byId({ id: run.id })).shareToken!;
    await mine.run.setVisibility({ id: run.id, visibility: "public" });
    await mine.run.setVisibility({ id: run.id, visibility: "unlisted" });
    const runSecond = (await mine.run.byId({ id: run.id })).shareToken!;
    expect(runSecond).not.toBe(runFirst);
    expect(await codeOf(anon.run.byId({ id: run.id, token: runFirst }))).toBe("NOT_FOUND");
    expect((await anon.run.byId({ id: run.id, token: runSecond })).id).toBe(run.id);
  });

  it("tells a reader of a shared shrink whether they may open the run it shrank and its scenario, and no key to either", async () => {
    const mine = callerFor(t, alice);
    const anon = callerFor(t, null);
    const { id } = await mine.scenario.create({ templateId: "request-lost" });
    const source = await mine.run.create({ scenarioId: id });
    await t.db.run.update({ where: { id: source.id }, data: { status: "done", verdict: "fail" } });
    await mine.run.setVisibility({ id: source.id, visibility: "unlisted" });
    const sourceToken = (await mine.run.byId({ id: source.id })).shareToken!;
    const shrink = await mine.run.shrink({ id: source.id });
    await mine.run.setVisibility({ id: shrink.id, visibility: "unlisted" });
    const token = (await mine.run.byId({ id: shrink.id })).shareToken!;

    expect(await mine.run.byId({ id: shrink.id })).toMatchObject({ parentRunId: source.id, parentReadable: true, scenarioReadable: true });
    for (const reader of [anon, callerFor(t, bob)]) {
      const seen = await reader.run.byId({ id: shrink.id, token });
      expect(seen).toMatchObject({ parentReadable: false, scenarioReadable: false });
      expect(JSON.stringify(seen)).not.toContain(sourceToken);
    }
    // Once the run it shrank is public, anyone may follow the link, with no key.
    await mine.run.setVisibility({ id: source.id, visibility: "public" });
    expect((await anon.run.byId({ id: shrink.id, token })).parentReadable).toBe(true);
    // A run of no other run has nothing to link.
    expect((await mine.run.byId({ id: source.id })).parentReadable).toBe(false);
  });
});
