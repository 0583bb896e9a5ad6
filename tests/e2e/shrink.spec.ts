// Shrinking from the run page: a failing run under the random nemesis, its owner presses Shrink,
// the shrink job's page shows the fault and event counts before and after and links the saved
// version, and running that version fails the same check.
import { expect, test } from "@playwright/test";
import { newAccount, runAndWait, saveNewVersion, scenarioFromTemplate, signUp } from "./helpers";
import { parseScenarioText, runScenario } from "../../server/sim";
import { RANDOM_RR } from "../sim/nemesis-helpers";

/** The first seed at which the scenario fails, and the check it fails first. */
function firstFailure(): { seed: number; check: string } {
  const parsed = parseScenarioText(RANDOM_RR);
  if (!parsed.ok) throw new Error("test scenario invalid");
  for (let seed = 1; seed <= 10; seed++) {
    const failed = runScenario(parsed.scenario, { seed, recordTrace: false }).summary.checks.find((c) => !c.ok);
    if (failed) return { seed, check: failed.name };
  }
  throw new Error("no failing seed in 1..10");
}

test("shrink a failing run, share the shrink, and run the shrunk version", async ({ page, browser }) => {
  const { seed, check } = firstFailure();
  await signUp(page, newAccount("Shrinker"));
  await scenarioFromTemplate(page, "response-lost");
  await saveNewVersion(page, RANDOM_RR, 2);
  await runAndWait(page, seed);
  await expect(page.getByTestId("verdict-badge")).toHaveText("✗ a check failed");
  const failingRun = new URL(page.url()).pathname;
  // The faults the random nemesis drew, spelled out as a scenario writes them.
  await expect(page.getByTestId("drawn-schedule")).toContainText(`drew`);
  await page.getByTestId("drawn-schedule").locator("summary").click();
  await expect(page.getByTestId("drawn-schedule")).toContainText("faults:\n  - { kind:");

  // Its owner shares it by link only: its page is not for a visitor of the shrink below.
  await page.getByTestId("share-panel").getByRole("radio", { name: /unlisted/ }).check();
  await expect(page.getByTestId("share-status")).toHaveText("Saved.");

  await page.getByTestId("shrink-button").click();
  await page.waitForURL((url) => /^\/runs\/[a-z0-9]+$/.test(url.pathname) && url.pathname !== failingRun);
  await expect(page.getByTestId("run-title")).toContainText(`shrink of seed ${seed}`);
  const results = page.getByTestId("shrink-results");
  await expect(results).toBeVisible({ timeout: 90_000 });
  await expect(results).toContainText(`${check} still fails at seed ${seed}`);
  await expect(page.getByTestId("shrink-faults")).toHaveText(/^[123] of \d+ faults$/);
  await expect(page.getByTestId("shrink-events")).toHaveText(/^\d+ of \d+ simulator steps$/);
  await expect(page.getByTestId("shrunk-version-link")).toHaveText(`Version 3, shrunk from run ${failingRun.split("/").pop()}`);
  await expect(page.getByTestId("shrink-source-link")).toHaveAttribute("href", failingRun);

  // The saved version says where it came from, on the scenario's page.
  const shrinkPage = page.url();
  await page.getByTestId("shrunk-version-link").click();
  await page.waitForURL(/\/scenarios\/[a-z0-9]+\?v=3/);
  await expect(page.getByTestId("shrunk-from-3")).toHaveText(`shrunk from run ${failingRun.split("/").pop()}`);
  await page.goto(shrinkPage);

  // Shared publicly, the shrink opens signed out; its panel links nothing the visitor cannot open:
  // neither the unlisted run it shrank nor the private scenario's new version.
  await page.getByTestId("share-panel").getByRole("radio", { name: /public/ }).check();
  await expect(page.getByTestId("share-status")).toHaveText("Saved.");
  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  await visitorPage.goto(shrinkPage);
  const shared = visitorPage.getByTestId("shrink-results");
  await expect(shared).toContainText(`Shrink of run ${failingRun.split("/").pop()}`);
  await expect(visitorPage.getByTestId("shrunk-version")).toContainText("Version 3, shrunk from run");
  await expect(shared.getByTestId("shrink-source-link")).toHaveCount(0);
  await expect(shared.getByTestId("shrunk-version-link")).toHaveCount(0);
  for (const href of await shared.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href")!))) {
    expect((await visitor.request.get(new URL(href, shrinkPage).href)).status(), href).toBe(200);
  }
  await visitor.close();

  await page.getByTestId("run-shrunk").click();
  await page.waitForURL((url) => /^\/runs\/[a-z0-9]+$/.test(url.pathname) && url.pathname !== failingRun);
  await expect(page.getByTestId("verdict-badge")).toHaveText("✗ a check failed", { timeout: 60_000 });
  await expect(page.getByTestId("run-title")).toContainText(`seed ${seed}`);
  await expect(page.getByTestId(`check-${check}`)).toContainText("✗ fails");
});
