// Comparing runs: two versions of "response lost" (dedupe off, then on) from the run page's
// Compare… picker, and two seeds of "lossy retries" ticked in the runs list.
import { expect, test } from "@playwright/test";
import { editorText, newAccount, runAndWait, saveNewVersion, scenarioFromTemplate, signUp } from "./helpers";

test("compare two versions: metric differences, changed verdicts, scenario diff and the divergence", async ({ page }) => {
  await signUp(page, newAccount("Nancy"));
  const scenarioUrl = await scenarioFromTemplate(page, "response-lost");
  await runAndWait(page);
  await expect(page.getByTestId("verdict-badge")).toHaveText("✗ a check failed");

  await page.goto(scenarioUrl);
  const source = await editorText(page);
  await saveNewVersion(page, source.replace("dedupe: false", "dedupe: true"), 2);
  await runAndWait(page);
  await expect(page.getByTestId("verdict-badge")).toHaveText("✓ all checks hold");

  // From the v2 run: Compare… lists my other runs of this scenario; pick the v1 run.
  await page.getByRole("button", { name: "Compare…" }).click();
  await page.getByTestId("run-picker").getByRole("link", { name: "seed 1 · v1" }).click();
  await page.waitForURL(/\/compare\?a=[a-z0-9]+&b=[a-z0-9]+/);
  await expect(page.getByTestId("compare-run-a")).toContainText("Response lost · v2 · seed 1");
  await expect(page.getByTestId("compare-run-b")).toContainText("Response lost · v1 · seed 1");
  // Side by side, the right-hand cards line up with the left-hand ones.
  const top = async (testId: string) => (await page.getByTestId(testId).boundingBox())!.y;
  expect(await top("compare-run-b")).toBe(await top("compare-run-a"));
  expect(await top("metric-diff")).toBe(await top("verdict-changes"));

  // at-most-once held with dedupe (A) and failed without (B).
  const verdict = page.getByTestId("verdict-at-most-once");
  await expect(verdict).toContainText("✓ holds");
  await expect(verdict).toContainText("✗ fails");
  await expect(verdict).toContainText("changed");
  await expect(page.getByTestId("verdict-all-complete")).not.toContainText("changed");
  await expect(page.getByTestId("verdict-changes")).toContainText("1 verdict changed.");

  // One execution against two.
  const executions = page.getByTestId("metric-diff").getByRole("row", { name: /Executions/ });
  await expect(executions).toHaveText(/Executions\s*1\s*2\s*\+1/);

  // The scenario diff, from A (v2) to B (v1), shows the changed line.
  const diff = page.getByTestId("scenario-diff");
  await expect(diff).toContainText(/From A \(Response lost v2\) to B \(Response lost v1\): \+1 −\d lines/);
  await expect(diff.locator(".diff-line.del").first()).toContainText("server: { processing: 1ms, dedupe: true }");
  await expect(diff.locator(".diff-line.add")).toHaveText(/server: \{ processing: 1ms, dedupe: false \}/);

  // They part at event #11: a dedupe hit in A where B executes the write again.
  await expect(page.getByTestId("divergence-summary")).toContainText("agree on the first 11 events and diverge at event #11");
  await expect(page.getByTestId("divergent-a")).toContainText("#11 dedupe-hit on C2");
  await expect(page.getByTestId("divergent-b")).toContainText("#11 execute on C2");
  await expect(page.getByTestId("diagram-a").getByRole("img")).toBeVisible();
  await expect(page.getByTestId("diagram-b").getByRole("img")).toBeVisible();
  const selected = page.getByTestId("selected-event");
  await expect(selected.nth(0)).toHaveText("#11 dedupe-hit on C2");
  await expect(selected.nth(1)).toHaveText("#11 execute on C2");
  await expect(page.getByTestId("diagrams-note")).toContainText("The divergence is ringed in both.");

  // The divergence links into each run at that step.
  await page.getByTestId("divergent-b").getByRole("link", { name: "Open run B at this step" }).click();
  await page.waitForURL(/\/runs\/[a-z0-9]+\?step=11$/);
  await expect(page.getByTestId("selected-event")).toHaveText("#11 execute on C2");
});

test("compare two seeds picked in the runs list", async ({ page }) => {
  await signUp(page, newAccount("Butler"));
  const scenarioUrl = await scenarioFromTemplate(page, "lossy-retries");
  await runAndWait(page, 1);
  await page.goto(scenarioUrl);
  await runAndWait(page, 2);

  await page.goto("/runs");
  const compare = page.getByRole("button", { name: "Compare", exact: true });
  await expect(compare).toBeDisabled();
  await page.getByRole("checkbox", { name: /seed 1$/ }).check();
  await page.getByRole("checkbox", { name: /seed 2$/ }).check();
  await expect(page.getByTestId("compare-hint")).toHaveText("Two runs picked.");
  await compare.click();
  await page.waitForURL(/\/compare\?a=/);

  await expect(page.getByTestId("scenario-diff")).toContainText("Both runs ran the same scenario version (v1), with seeds");
  await expect(page.getByTestId("metric-diff")).toContainText("Messages sent");
  await expect(page.getByTestId("divergence-summary")).toContainText(/diverge at event #\d+/);
  await expect(page.getByTestId("divergent-a")).toBeVisible();
  await expect(page.getByTestId("divergent-b")).toBeVisible();
});

test("someone else's private run cannot be compared", async ({ page, browser }) => {
  await signUp(page, newAccount("Owner"));
  await scenarioFromTemplate(page, "request-lost");
  const runUrl = await runAndWait(page);
  const runId = new URL(runUrl).pathname.split("/").pop()!;

  const other = await browser.newContext();
  const stranger = await other.newPage();
  await signUp(stranger, newAccount("Stranger"));
  const res = await stranger.goto(`/compare?a=${runId}&b=${runId}`);
  expect(res?.status()).toBe(404);
  await expect(stranger.getByTestId("compare-problem").first()).toContainText("A run to compare was not found");
  await expect(stranger.getByTestId("compare")).toHaveCount(0);
  await other.close();

  // Its owner may compare it with itself: nothing diverges, and the page says so.
  await page.goto(`/compare?a=${runId}&b=${runId}`);
  await expect(page.getByTestId("divergence-summary")).toContainText("The two runs are identical");
  await expect(page.getByTestId("diagrams-note")).toContainText("The runs do not diverge");
  await expect(page.getByTestId("diagrams-note")).not.toContainText("ringed");
});
