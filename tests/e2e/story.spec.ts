// A run tells its story, at desktop and phone widths: the narrative of "response lost" in the
// slide's words beside the scenario's description, each sentence selecting its event (by click and
// by keyboard); sharing the run makes it embeddable (player in another site's iframe, oEmbed, the
// page's oEmbed link), and a private run is not found by either.
import { expect, test, type Page } from "@playwright/test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { newAccount, runAndWait, runSweepAndWait, saveNewVersion, scenarioFromTemplate, signUp } from "./helpers";

/** Each seed loses C2's one answer with probability 0.3 (no retries), and C2 crashes after the work is done. */
const FLAKY = `version: 1
name: Flaky answers
description: C2's answer is lost one time in three; C1 does not retry.
seed: 1
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 0 } }
workload:
  - { client: C1, server: C2, op: read, key: k, count: 1 }
faults:
  - { kind: crash, node: C2, at: 5s }
  - { kind: drop, match: { type: response }, probability: 0.3 }
checks: [all-complete]
`;

/**
 * Another site: a slide deck embedding the player, served by the test on its own port (another
 * origin; a loopback address, so Chromium's local network access rules allow it to frame localhost).
 */
async function serveDeck(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/lecture-4.html`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function sentence(page: Page, text: string) {
  const button = page.getByTestId("narrative").getByRole("button", { name: text, exact: true });
  await expect(button).toBeVisible();
  return button;
}

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width > 500 ? 900 : 844 } });

    test("the run page tells what happened, each sentence on its event", async ({ page }) => {
      await signUp(page, newAccount("Noor"));
      await scenarioFromTemplate(page, "response-lost");
      await runAndWait(page);

      const story = page.getByTestId("narrative");
      await expect(story.getByRole("heading", { name: "What happened" })).toBeVisible();
      await expect(story).toContainText('C1 sent the write (journal = "dear diary") to C2 at 0 ms.');
      await expect(story).toContainText("all-complete holds.");
      const box = (await page.getByTestId("run-story").boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);

      // The scenario's own description, rendered from its Markdown, beside (or, on a phone, under) the story.
      const description = page.getByTestId("scenario-description");
      await expect(description).toContainText('C2 executes the write, but its "ok" is lost.');
      await expect(description.locator("code")).toHaveText("dedupe: true");

      // A click selects the sentence's event in the diagram, the details and the log, and the address.
      const lost = await sentence(page, "The response was lost at 11 ms (fault rule 1).");
      await lost.click();
      await expect(page.getByTestId("selected-event")).toHaveText("#6 drop on C2");
      await expect(page).toHaveURL(/[?&]step=6(&|$)/);
      await expect(lost).toHaveAttribute("aria-pressed", "true");
      await expect(page.getByTestId("log-row-6")).toHaveAttribute("aria-selected", "true");

      // The keyboard too: Tab to the next sentence, Enter; Tab again, Space.
      await lost.focus();
      await page.keyboard.press("Tab");
      const retried = await sentence(page, "C1 timed out at 100 ms and resent the write.");
      await expect(retried).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(page.getByTestId("selected-event")).toHaveText("#7 timeout on C1");
      await page.keyboard.press("Tab");
      const again = await sentence(page, "C2 executed the write a second time at 111 ms — at-most-once fails.");
      await expect(again).toBeFocused();
      await page.keyboard.press("Space");
      await expect(page.getByTestId("selected-event")).toHaveText("#11 execute on C2");
      await expect(page).toHaveURL(/[?&]step=11(&|$)/);
      await expect(lost).toHaveAttribute("aria-pressed", "false");
      // UPDATE_SCREENSHOTS=1 refreshes the picture in docs/results.md.
      if (process.env.UPDATE_SCREENSHOTS && width > 500) await page.getByTestId("run-story").screenshot({ path: "docs/screenshots/run-story.png" });
    });

    test("a sweep says which fault rules its failing seeds have in common", async ({ page }) => {
      await signUp(page, newAccount("Sami"));
      await scenarioFromTemplate(page, "response-lost");
      await saveNewVersion(page, FLAKY, 2);
      await runSweepAndWait(page, 20);
      const panel = page.getByTestId("sweep-common-faults");
      await expect(panel.getByRole("heading", { name: "What the failing seeds have in common" })).toBeVisible();
      const rows = panel.getByRole("listitem");
      // The lost answer goes with failing: it is told first, and it acted in no passing seed.
      await expect(rows.first()).toHaveText(/^All \d+ failing seeds had fault rule 2 \(drop any → any response\) act; it acted in none of the passing seeds\.$/);
      // The crash comes in every seed, failing or not.
      await expect(rows.nth(1)).toHaveText(/^All \d+ failing seeds had fault rule 1 \(crash C2\) act; it acted in all \d+ passing seeds\.$/);
      await panel.getByText("Rules that acted in each of the lowest failing seeds").click();
      await expect(panel.getByText(/^seed \d+: fault rule 1, fault rule 2$/).first()).toBeVisible();
    });

    test("a shared run plays in another site's iframe and answers oEmbed; a private one is not found", async ({ page, browser }) => {
      await signUp(page, newAccount("Ines"));
      await scenarioFromTemplate(page, "response-lost");
      const runUrl = await runAndWait(page);
      const id = new URL(runUrl).pathname.split("/").pop()!;
      const origin = new URL(runUrl).origin;
      const oembed = (url: string) => `${origin}/api/oembed?url=${encodeURIComponent(url)}&format=json`;

      // Private: neither the player nor oEmbed knows it, even for its owner.
      expect((await page.request.get(`/embed/runs/${id}`)).status()).toBe(404);
      expect((await page.request.get(oembed(`${origin}/runs/${id}`))).status()).toBe(404);
      const runPage = await page.request.get(`/runs/${id}`);
      expect(runPage.headers()["x-frame-options"]).toBe("SAMEORIGIN");
      expect(runPage.headers()["content-security-policy"]).toContain("frame-ancestors 'self'");

      // Public: the share panel offers the embed code.
      const share = page.getByTestId("share-panel");
      await share.getByRole("radio", { name: /public/ }).check();
      await expect(share.getByTestId("share-status")).toHaveText("Saved.");
      const snippet = await share.getByLabel("Embed").inputValue();
      expect(snippet).toContain(`<iframe src="${origin}/embed/runs/${id}"`);

      // The player may be framed by any site (and is the only page that may).
      const player = await page.request.get(`/embed/runs/${id}`);
      expect(player.status()).toBe(200);
      expect(player.headers()["content-security-policy"]).toContain("frame-ancestors *");
      expect(player.headers()["x-frame-options"]).toBeUndefined();

      // oEmbed answers the shared page's address with the same iframe.
      const answer = await page.request.get(oembed(`${origin}/runs/${id}`));
      expect(answer.status()).toBe(200);
      const json = (await answer.json()) as { type: string; html: string; title: string; provider_name: string };
      expect(json).toMatchObject({ type: "rich", provider_name: "Faultline", title: "Response lost, seed 1" });
      expect(json.html).toContain(`src="${origin}/embed/runs/${id}"`);

      // A stranger's visit to the shared page finds the oEmbed link in its head.
      const stranger = await browser.newContext();
      const visitor = await stranger.newPage();
      await visitor.goto(runUrl);
      const link = visitor.locator('head link[rel="alternate"][type="application/json+oembed"]');
      await expect(link).toHaveAttribute("href", oembed(`${origin}/runs/${id}`));

      // On another site's page, the player shows the story, the diagram and step controls.
      const deck = await serveDeck(`<!doctype html><title>Lecture 4</title><h1>Lecture 4</h1>${snippet}`);
      expect(new URL(deck.url).origin).not.toBe(origin);
      await visitor.goto(deck.url);
      const frame = visitor.frameLocator("iframe");
      await expect(frame.getByTestId("embed-title")).toHaveText("Response lost, seed 1");
      await expect(frame.getByRole("img", { name: /Space-time diagram: 2 nodes, 16 events/ })).toBeVisible();
      await frame.getByRole("button", { name: "The response was lost at 11 ms (fault rule 1).", exact: true }).click();
      await expect(frame.getByTestId("embed-event")).toHaveText("#6 at 11 ms: The response of request #0 from C2 to C1 is lost: a drop fault rule matched it");
      await frame.getByRole("button", { name: "Next event" }).click();
      await expect(frame.getByTestId("embed-event")).toContainText("#7 at 100 ms: C1's timer for request #0 (attempt 1) fires with no answer");
      await expect(frame.getByRole("link", { name: /Open in Faultline/ })).toHaveAttribute("href", `/runs/${id}`);
      if (process.env.UPDATE_SCREENSHOTS && width > 500) await visitor.screenshot({ path: "docs/screenshots/embed-player.png" });
      await stranger.close();
      await deck.close();

      // Private again: the player and oEmbed are gone.
      await share.getByRole("radio", { name: /private/ }).check();
      await expect.poll(async () => (await page.request.get(`/embed/runs/${id}`)).status()).toBe(404);
      await expect.poll(async () => (await page.request.get(oembed(`${origin}/runs/${id}`))).status()).toBe(404);
    });
  });
}
