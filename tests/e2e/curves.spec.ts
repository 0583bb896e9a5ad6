// Curves: a scenario swept over a parameter, one curve run whose shards every worker shares, drawn as pass rate
// against the parameter with one series per retry count; a value the format refuses saves nothing.
import { expect, test } from "@playwright/test";
import { newAccount, scenarioFromTemplate } from "./helpers";

test("a curve of pass rate against loss, retries 0 and 2, fills in as its sweeps finish", async ({ page }) => {
  // Six sweeps go through the queue one after another on a shared machine.
  test.setTimeout(240_000);
  // Signing up as helpers.signUp does, waiting longer: sign-in hashes the password while six helpers share two cores.
  const account = newAccount("Curt");
  await page.goto("/signup");
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(account.name, { timeout: 60_000 });
  await scenarioFromTemplate(page, "lossy-retries");
  await page.goto("/curves");
  await expect(page.getByLabel("Scenario")).toContainText("Lossy network, retries with backoff");

  // A value the format refuses is named with its path, and nothing is saved.
  await page.getByLabel(/^Vary/).fill("network.loss=0:2:1");
  await page.getByLabel("Seeds per point").fill("4");
  await page.getByRole("button", { name: "Queue the curve" }).click();
  await expect(page.getByTestId("curve-error")).toContainText("network.loss=2: network.loss: a probability must be between 0 and 1");
  await expect(page.getByTestId("curve-result")).toHaveCount(0);

  await page.getByLabel(/^Vary/).fill("network.loss=0:0.6:0.3");
  await page.getByLabel(/^Series/).fill("protocol.client.retries=0,2");
  await page.getByRole("button", { name: "Queue the curve" }).click();
  const result = page.getByTestId("curve-result");
  await expect(result).toContainText("6 of 6 points done", { timeout: 120_000 });
  await expect(result.getByRole("img", { name: "Curve: pass rate against network.loss" })).toBeVisible();
  await expect(result.locator("figcaption").getByText("protocol.client.retries=2", { exact: true })).toBeVisible();

  await result.getByText("The numbers").click();
  const rows = result.getByRole("table").getByRole("row");
  // No loss: every seed completes all 100 requests; at 0.6 loss none does.
  await expect(rows.filter({ hasText: "protocol.client.retries=0" }).filter({ has: page.getByRole("cell", { name: "0", exact: true }) })).toContainText("100.0%");
  await expect(rows.filter({ hasText: "protocol.client.retries=0" }).filter({ has: page.getByRole("cell", { name: "0.6", exact: true }) })).toContainText("0.0%");

  // Each point's results are on the curve run's page, as a sweep's.
  await result.getByTestId("curve-points").getByRole("link", { name: "network.loss=0.3, protocol.client.retries=2" }).click();
  await page.waitForURL(/\/runs\/[a-z0-9]+/);
  await expect(page.getByTestId("sweep-checks")).toContainText("Checks over 4 seeds");
});
