// Explore from the scenario page, at desktop (1280) and phone (390) widths: the slide's "response lost,
// no dedupe" with its hand-written drop taken out; exploring finds the one dropped response, saves it
// as a version and opens its run, with the diagram and the witness. And curves are reachable: from the
// scenario page and from a sweep, to a curve's own page that fills in as its sweeps finish.
import { expect, test } from "@playwright/test";
import { newAccount, replaceEditorText, scenarioFromTemplate, signUp } from "./helpers";
import { TEMPLATES } from "../../server/templates";

/** The template with its fault taken out: the search must find it. */
function withoutTheDrop(): string {
  const source = TEMPLATES.find((t) => t.id === "response-lost")!.source;
  const out = source.replace(/faults:\n {2}- \{ kind: drop[^\n]*\n/, "");
  if (out === source) throw new Error("the response-lost template no longer has its drop fault");
  return out;
}

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width > 500 ? 900 : 844 } });

    test("Explore finds the one dropped response and lands on its run page", async ({ page }) => {
      test.setTimeout(240_000);
      await signUp(page, newAccount("Esme"));
      const scenarioUrl = await scenarioFromTemplate(page, "response-lost");
      await replaceEditorText(page, withoutTheDrop());
      await page.getByRole("button", { name: /Save as version 2/ }).click();
      await expect(page.getByText("Version 2 of 2")).toBeVisible();

      const panel = page.getByTestId("explore-panel");
      await panel.locator("summary").click();
      // A bound past the service's limit is refused before anything is queued.
      await panel.getByLabel(/^Faults K/).fill("4");
      await panel.getByRole("button", { name: "Explore", exact: true }).click();
      await expect(page.getByTestId("explore-error")).toHaveText("Faults: a whole number from 1 to 3.");
      await panel.getByLabel(/^Faults K/).fill("2");
      await panel.getByLabel(/^Depth N/).fill("6");
      await panel.getByLabel("duplicate").uncheck();
      await panel.getByRole("button", { name: "Explore", exact: true }).click();

      await page.waitForURL(/\/runs\/[a-z0-9]+$/);
      await expect(page.getByTestId("run-title")).toContainText("exploration, seed 1");
      const results = page.getByTestId("explore-results");
      await expect(results).toBeVisible({ timeout: 120_000 });
      await expect(page.getByTestId("explore-verdict")).toHaveText("1 schedule of 1 fault fails a check; none with fewer faults does.");
      await expect(page.getByTestId("explore-counts")).toContainText(/^Explored 3 schedules in [\d.]+ s of simulation \([\d,]+ schedules\/s\): 1 with 0 faults, 2 with 1 fault\.$/);
      // The scenario as written, then its two one-fault schedules: shards that every worker shares.
      await expect(page.getByTestId("explore-shard-counts")).toContainText(/^In \d+ shards? shared by the workers/);
      await expect(page.getByTestId("explore-shortest")).toContainText("drop the 1st response C2→C1 (sent at 11ms)");
      await expect(page.getByTestId("explore-shortest")).toContainText("at-most-once");
      const box = (await results.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await expect(page.getByTestId("counterexample-version")).toHaveText("saved as version 3");

      // The counterexample's run page: its diagram, and the witness of the check it fails.
      await page.getByTestId("counterexample-run").click();
      await page.waitForURL(/\/runs\/[a-z0-9]+$/);
      await expect(page.getByTestId("run-title")).toContainText("seed 1");
      await expect(page.getByTestId("verdict-badge")).toHaveText("✗ a check failed", { timeout: 90_000 });
      await expect(page.getByTestId("check-at-most-once")).toContainText("✗ fails");
      await expect(page.getByTestId("diagram-run")).toBeVisible();
      const witness = page.getByTestId("check-at-most-once").getByRole("button", { name: /^Show witness/ });
      await witness.click();
      await expect(witness).toHaveAttribute("aria-pressed", "true");

      // The version it ran says where it came from.
      await page.goto(`${scenarioUrl}?v=3`);
      await expect(page.getByTestId("shrunk-from-3")).toHaveText(/^found by exploring \(run [a-z0-9]+\)$/);

      // Curves are reachable from the scenario page.
      await page.getByTestId("curve-link").click();
      await page.waitForURL(/\/curves\?scenario=[a-z0-9]+$/);
      await expect(page.getByRole("heading", { name: "Curves" })).toBeVisible();
      await expect(page.getByLabel("Scenario")).toHaveValue(new URL(scenarioUrl).pathname.split("/").pop()!);
    });
  });
}

test("a curve has a page of its own that fills in as its shards finish, reached from a point's results too", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page, newAccount("Cora"));
  await scenarioFromTemplate(page, "response-lost");
  await page.getByTestId("curve-link").click();
  await page.waitForURL(/\/curves\?scenario=/);
  await page.getByLabel(/^Vary/).fill("protocol.server.dedupe=false,true");
  await page.getByLabel("Seeds per point").fill("3");
  await page.getByRole("button", { name: "Queue the curve" }).click();

  // The curve's own page: a reload keeps it, and it fills in by itself.
  await page.waitForURL(/\/curves\/[a-z0-9]+$/);
  const curveUrl = page.url();
  await expect(page.getByRole("heading", { name: "Curve over protocol.server.dedupe" })).toBeVisible();
  await page.reload();
  const result = page.getByTestId("curve-result");
  await expect(result).toContainText("2 of 2 points done", { timeout: 120_000 });
  await expect(result.getByRole("img", { name: "Curve: pass rate against protocol.server.dedupe" })).toBeVisible();
  await result.getByText("The numbers").click();
  const rows = result.getByRole("table").getByRole("row");
  // Without dedupe the dropped response executes the write twice on every seed; with it, never.
  await expect(rows.filter({ has: page.getByRole("cell", { name: "false", exact: true }) })).toContainText("0.0%");
  await expect(rows.filter({ has: page.getByRole("cell", { name: "true", exact: true }) })).toContainText("100.0%");

  // A point's results, on the curve run's page, link back to its curve, and to drawing another.
  await result.getByTestId("curve-points").getByRole("link", { name: "protocol.server.dedupe=true" }).click();
  await page.waitForURL(/\/runs\/[a-z0-9]+\?point=1$/);
  await expect(page.getByTestId("curve-run-point")).toContainText("protocol.server.dedupe=true");
  await expect(page.getByTestId("sweep-checks")).toContainText("Checks over 3 seeds");
  await expect(page.getByTestId("sweep-curve-link")).toBeVisible();
  await page.getByTestId("sweep-curve-page").click();
  await expect(page).toHaveURL(curveUrl);
  await expect(page.getByTestId("curve-result")).toContainText("2 of 2 points done");
});
