// oEmbed for shared runs: a public run and an unlisted one with its key answer a "rich" embed whose
// iframe is the player (with the key for unlisted); private, revoked, wrong key, a sweep's seed
// list, bad input: 404, 400 or 501, never a 500, and never what only the owner may see.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, createTestDb, makeUser, type TestDb } from "../helpers/db";
import type { SessionUser } from "@/server/auth/options";
import { oembedAnswer } from "@/server/embeds/oembed";
import { EMBED_HEIGHT_PX, EMBED_MIN_WIDTH_PX, EMBED_WIDTH_PX, runOfUrl } from "@/app/_components/story/embed";

const SITE = "http://faultline.test:3000";
const headers = new Headers({ host: "faultline.test:3000" });

function ask(params: Record<string, string>, t: TestDb) {
  const q = new URLSearchParams(params).toString();
  return oembedAnswer(t.db, `${SITE}/api/oembed?${q}`, headers);
}

describe.each(PROVIDERS)("oEmbed on %s", (provider) => {
  let t: TestDb;
  let alice: SessionUser;
  let ids: { pub: string; unl: string; priv: string; token: string };

  beforeAll(async () => {
    t = await createTestDb(provider);
    alice = await makeUser(t.db, "Alice");
    const mine = callerFor(t, alice);
    const { id } = await mine.scenario.create({ templateId: "response-lost" });
    const pub = await mine.run.create({ scenarioId: id });
    const unl = await mine.run.create({ scenarioId: id, seed: 7 });
    const priv = await mine.run.create({ scenarioId: id, seed: 8 });
    await mine.run.setVisibility({ id: pub.id, visibility: "public" });
    await mine.run.setVisibility({ id: unl.id, visibility: "unlisted" });
    const token = (await mine.run.byId({ id: unl.id })).shareToken!;
    ids = { pub: pub.id, unl: unl.id, priv: priv.id, token };
  });
  afterAll(async () => t.drop());

  it("answers a public run's page with the player's iframe", async () => {
    const res = await ask({ url: `${SITE}/runs/${ids.pub}`, format: "json" }, t);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ version: "1.0", type: "rich", provider_name: "Faultline", provider_url: `${SITE}/`, author_name: "Alice", width: EMBED_WIDTH_PX, height: EMBED_HEIGHT_PX });
    expect(body.title).toBe("Response lost, seed 1");
    expect(body.html).toBe(
      `<iframe src="${SITE}/embed/runs/${ids.pub}" width="${EMBED_WIDTH_PX}" height="${EMBED_HEIGHT_PX}" title="Response lost, seed 1 · Faultline" style="border:1px solid #dfe3ea;border-radius:8px;max-width:100%" loading="lazy" allowfullscreen></iframe>`,
    );
  });

  it("keeps an unlisted run's key in its iframe, and fits maxwidth / maxheight", async () => {
    const res = await ask({ url: `${SITE}/runs/${ids.unl}?key=${ids.token}`, maxwidth: "400", maxheight: "100" }, t);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { html: string; width: number; height: number };
    expect(body.html).toContain(`src="${SITE}/embed/runs/${ids.unl}?key=${ids.token}"`);
    expect(body.width).toBe(400);
    expect(body.height).toBeGreaterThan(100); // never below the player's minimum
    expect(body.width).toBeGreaterThanOrEqual(EMBED_MIN_WIDTH_PX);
    // The player's own address works as the url too.
    expect((await ask({ url: `${SITE}/embed/runs/${ids.unl}?key=${ids.token}` }, t)).status).toBe(200);
  });

  it("is not found for a private run, an unlisted one without or with a wrong or revoked key", async () => {
    expect((await ask({ url: `${SITE}/runs/${ids.priv}` }, t)).status).toBe(404);
    expect((await ask({ url: `${SITE}/runs/${ids.unl}` }, t)).status).toBe(404);
    expect((await ask({ url: `${SITE}/runs/${ids.unl}?key=wrong-key-wrong-key-wrong` }, t)).status).toBe(404);
    const mine = callerFor(t, alice);
    const { id } = await mine.scenario.create({ templateId: "request-lost" });
    const run = await mine.run.create({ scenarioId: id });
    await mine.run.setVisibility({ id: run.id, visibility: "unlisted" });
    const old = (await mine.run.byId({ id: run.id })).shareToken!;
    expect((await ask({ url: `${SITE}/runs/${run.id}?key=${old}` }, t)).status).toBe(200);
    await mine.run.revokeLink({ id: run.id });
    expect((await ask({ url: `${SITE}/runs/${run.id}?key=${old}` }, t)).status).toBe(404);
  });

  it("refuses bad input with a clear status, never a 500", async () => {
    expect((await ask({ url: `${SITE}/runs/${ids.pub}`, format: "xml" }, t)).status).toBe(501);
    const missing = await ask({}, t);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("url");
    for (const url of ["not a url", `${SITE}/scenarios/${ids.pub}`, `javascript:alert(1)//runs/x`, `${SITE}/runs/${"x".repeat(80)}`, `${SITE}/runs/nope`]) {
      expect((await ask({ url }, t)).status, url).toBe(404);
    }
  });
});

describe("runOfUrl", () => {
  it("reads a run page or a player, and nothing else", () => {
    expect(runOfUrl("https://x.example/runs/abc?key=k1")).toEqual({ id: "abc", token: "k1" });
    expect(runOfUrl("https://x.example/embed/runs/abc")).toEqual({ id: "abc", token: null });
    expect(runOfUrl("https://x.example/runs/abc/trace")).toBeNull();
    expect(runOfUrl("ftp://x.example/runs/abc")).toBeNull();
  });
});
