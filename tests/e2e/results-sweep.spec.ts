// A sweep's page: per check how many seeds held, the metrics' distributions, and the failing
// seeds, each opening its own run with its diagram.
import { expect, test } from "@playwright/test";
import { newAccount, runSweepAndWait, scenarioFromTemplate, signUp } from "./helpers";

test("a sweep lists its failing seeds and opening one lands on its run", async ({ page }) => {
  await signUp(page, newAccount("Jim"));
  await scenarioFromTemplate(page, "lossy-retries");
  await runSweepAndWait(page, 10);
  await expect(page.getByTestId("verdict-badge")).toHaveText("✗ a check failed");

  await expect(page.getByTestId("sweep-checks")).toContainText("Checks over 10 seeds");
  await expect(page.getByTestId("sweep-check-all-complete")).toContainText(/\d+ \/ 10 held/);
  await expect(page.getByTestId("sweep-check-at-most-once")).toContainText("10 / 10 held");
  await expect(page.getByTestId("sweep-metrics")).toContainText("Messages sent");
  await expect(page.getByTestId("sweep-metrics")).toContainText("Latency p99 (ms)");

  const first = page.getByTestId("failing-seeds").getByRole("listitem").first();
  await expect(first).toContainText("fails all-complete");
  const seed = ((await first.locator(".mono").textContent()) ?? "").replace("seed ", "").trim();
  await first.getByRole("button", { name: "Open run" }).click();
  await page.waitForURL((url) => /^\/runs\/[a-z0-9]+$/.test(url.pathname));
  await expect(page.getByTestId("run-title")).toContainText(`seed ${seed}`);
  await expect(page.getByTestId("verdict-badge")).toHaveText("✗ a check failed", { timeout: 60_000 });
  await expect(page.getByTestId("check-all-complete")).toContainText("✗ fails");
  await expect(page.getByTestId("diagram-run").getByRole("img")).toBeVisible();

  // Opening the same seed again reuses that run.
  await page.goBack();
  await page.getByTestId(`failing-seed-${seed}`).getByRole("button", { name: "Open run" }).click();
  await page.waitForURL((url) => /^\/runs\/[a-z0-9]+$/.test(url.pathname));
  await expect(page.getByTestId("run-title")).toContainText(`seed ${seed}`);
});
