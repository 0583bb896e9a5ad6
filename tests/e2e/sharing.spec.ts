// Sharing as people use it: a run shared unlisted opens signed out in a fresh browser,
// with a preview card for chat tools; revoking the link makes the old one dead; a
// private run stays invisible to another account.
import { expect, test, type Browser } from "@playwright/test";
import { newAccount, runAndWait, scenarioFromTemplate, signUp } from "./helpers";

async function freshPage(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

test("share a run unlisted, open it signed out, revoke it and see it gone", async ({ page, browser, request }) => {
  await signUp(page, newAccount("Alice"));
  await scenarioFromTemplate(page, "response-lost");
  const runUrl = await runAndWait(page);
  await expect(page.getByTestId("verdict-badge")).toHaveText("✗ a check failed");

  const share = page.getByTestId("share-panel");
  await share.getByRole("radio", { name: /unlisted/ }).check();
  await expect(share.getByTestId("share-status")).toHaveText("Saved.");
  const linkBox = share.getByTestId("share-link");
  await expect(linkBox).toHaveValue(/\?key=[A-Za-z0-9_-]{24}$/);
  const link = await linkBox.inputValue();

  // A stranger, signed out, in a fresh browser context.
  const stranger = await freshPage(browser);
  await stranger.page.goto(link);
  await expect(stranger.page.getByTestId("run-title")).toContainText("Response lost");
  await expect(stranger.page.getByTestId("verdict-badge")).toHaveText("✗ a check failed");
  await expect(stranger.page.getByText("Shared by Alice")).toBeVisible();
  await expect(stranger.page.getByTestId("share-panel")).toHaveCount(0);
  await expect(stranger.page.getByRole("link", { name: "Sign in to fork" })).toBeVisible();

  // A signed-in reader forks the scenario version the run ran into their own account.
  const reader = await freshPage(browser);
  await signUp(reader.page, newAccount("Reader"));
  await reader.page.goto(link);
  await reader.page.getByRole("button", { name: "Fork scenario" }).click();
  await expect(reader.page.getByTestId("scenario-name")).toHaveText("Response lost");
  await expect(reader.page.getByRole("button", { name: "Run", exact: true })).toBeVisible();
  await reader.context.close();
  // Without the key the same run is not there.
  await stranger.page.goto(runUrl.split("?")[0]!);
  await expect(stranger.page.getByTestId("not-found")).toBeVisible();

  // Chat tools and LMS pages unfurl the link into a card: title and verdict summary.
  const html = await (await request.get(link)).text();
  expect(html).toMatch(/<meta property="og:title" content="Response lost, seed 1 · Faultline"/);
  expect(html).toMatch(/<meta property="og:description" content="A check failed: 1 of 2 checks hold \(all-complete ✓, at-most-once ✗\)\."/);

  // Revoke: the old link dies, the new one works.
  await share.getByRole("button", { name: "Revoke link" }).click();
  await expect(linkBox).not.toHaveValue(link);
  const newLink = await linkBox.inputValue();
  await stranger.page.goto(link);
  await expect(stranger.page.getByTestId("not-found")).toBeVisible();
  const oldCard = await (await request.get(link)).text();
  expect(oldCard).not.toContain("Response lost");
  await stranger.page.goto(newLink);
  await expect(stranger.page.getByTestId("run-title")).toContainText("Response lost");

  // Back to private: no link works.
  await share.getByRole("radio", { name: /private/ }).check();
  await expect(share.getByTestId("share-status")).toHaveText("Saved.");
  await expect(share.getByTestId("share-link")).toHaveCount(0);
  await stranger.page.goto(newLink);
  await expect(stranger.page.getByTestId("not-found")).toBeVisible();
  await stranger.context.close();
});

test("a private run and scenario stay invisible to another account", async ({ page, browser }) => {
  await signUp(page, newAccount("Owner"));
  const scenarioUrl = await scenarioFromTemplate(page, "byzantine-lie");
  const runUrl = await runAndWait(page);

  const other = await freshPage(browser);
  await signUp(other.page, newAccount("Mallory"));
  const origin = new URL(runUrl).origin;
  const runId = new URL(runUrl).pathname.split("/").pop();
  for (const url of [runUrl, scenarioUrl, `${origin}/api/runs/${runId}/trace?format=jsonl`, `${origin}/api/runs/${runId}/scenario`]) {
    const res = await other.page.goto(url);
    expect(res?.status()).toBe(404);
  }
  await other.page.goto(runUrl);
  await expect(other.page.getByTestId("not-found")).toBeVisible();
  await other.page.goto("/runs");
  await expect(other.page.getByText("C2 lies")).toHaveCount(0);
  // The gallery may list other people's public runs of this template, never this one.
  await other.page.goto("/gallery?show=runs&q=lies");
  await expect(other.page.locator(`a[href="/runs/${runId}"]`)).toHaveCount(0);
  await other.context.close();
});

test("a public scenario appears in the gallery and can be forked by another user", async ({ page, browser }) => {
  await signUp(page, newAccount("Publisher"));
  await scenarioFromTemplate(page, "partition");
  await page.getByTestId("share-panel").getByRole("radio", { name: /public/ }).check();
  await expect(page.getByTestId("share-status")).toHaveText("Saved.");

  const other = await freshPage(browser);
  await signUp(other.page, newAccount("Forker"));
  await other.page.goto("/gallery?q=Network+partition");
  await other.page.getByTestId("gallery-scenarios").getByRole("link", { name: /Network partition/ }).first().click();
  await expect(other.page.getByText("Shared by Publisher")).toBeVisible();
  await other.page.getByRole("button", { name: "Fork into my account" }).click();
  await expect(other.page.getByRole("link", { name: "My scenarios" })).toBeVisible();
  await expect(other.page.getByTestId("scenario-name")).toHaveText("Network partition");
  await expect(other.page.getByRole("button", { name: "Run", exact: true })).toBeVisible();
  await other.context.close();
});
