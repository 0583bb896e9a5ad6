// The screenshots in docs/results.md, taken from the real pages at a fixed viewport. Skipped
// unless UPDATE_SCREENSHOTS=1, so a normal test run never rewrites files under docs/:
//   UPDATE_SCREENSHOTS=1 npx playwright test tests/e2e/results-screenshots.spec.ts
import { expect, test } from "@playwright/test";
import path from "node:path";
import { editorText, newAccount, runAndWait, runSweepAndWait, saveNewVersion, scenarioFromTemplate, signUp } from "./helpers";

const OUT = path.resolve(import.meta.dirname, "../../docs/screenshots");

test.skip(!process.env.UPDATE_SCREENSHOTS, "set UPDATE_SCREENSHOTS=1 to rewrite docs/screenshots");
test.use({ viewport: { width: 1280, height: 900 } });

test("run page, compare page and sweep page", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page, newAccount("Ada"));

  // The run page of "response lost" with the at-most-once witness selected.
  const scenarioUrl = await scenarioFromTemplate(page, "response-lost");
  await runAndWait(page);
  await page.getByTestId("check-at-most-once").getByRole("button", { name: /Show witness/ }).click();
  await expect(page.getByTestId("selected-event")).toHaveText("#4 execute on C2");
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${OUT}/run-page.png`, fullPage: true });
  await page.locator(".diagram-panel").screenshot({ path: `${OUT}/run-diagram.png` });

  // Two versions compared: dedupe switched on.
  await page.goto(scenarioUrl);
  await saveNewVersion(page, (await editorText(page)).replace("dedupe: false", "dedupe: true"), 2);
  await runAndWait(page);
  await page.getByRole("button", { name: "Compare…" }).click();
  await page.getByTestId("run-picker").getByRole("link", { name: "seed 1 · v1" }).click();
  await expect(page.getByTestId("divergence-summary")).toContainText("diverge at event #11");
  await expect(page.getByTestId("diagram-b-caption")).toContainText("events in view");
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${OUT}/compare-page.png`, fullPage: true });

  // A busier run: C2 is slow, retries pile up (1,747 events), zoomed to one step.
  await scenarioFromTemplate(page, "server-slow");
  const slow = await runAndWait(page);
  await page.goto(`${slow.split("?")[0]}?step=400`);
  await expect(page.getByTestId("selected-event")).toHaveText(/^#400 /);
  await page.mouse.move(0, 0);
  await page.locator(".diagram-panel").screenshot({ path: `${OUT}/run-diagram-busy.png` });

  // A sweep of the lossy network.
  await scenarioFromTemplate(page, "lossy-retries");
  await runSweepAndWait(page, 50);
  await expect(page.getByTestId("sweep-metrics")).toContainText("Messages sent");
  await page.screenshot({ path: `${OUT}/sweep-page.png`, fullPage: true });
});
