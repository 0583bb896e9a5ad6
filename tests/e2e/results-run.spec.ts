// The run page as a student reads it: the space-time diagram of "response lost", the failed
// at-most-once check's witness (C2 executing the write twice), stepping event by event, and a
// step permalink that opens the run at that step in a fresh page.
import { expect, test, type Page } from "@playwright/test";
import { newAccount, runAndWait, scenarioFromTemplate, signUp } from "./helpers";
import { AXIS_PX, FIT_MARGIN, GUTTER_PX, RIGHT_PX, laneHeight } from "../../app/_components/results/viewport";

/** Where the diagram draws an event at `timeUs` on lane `node` when the whole run is shown (Fit). */
async function pointInDiagram(page: Page, timeUs: number, node: number, endUs: number, nodes: number) {
  // The run's story sits above the diagram: bring the diagram on screen before pointing into it.
  await page.getByTestId("diagram-run").getByRole("img").scrollIntoViewIfNeeded();
  const box = (await page.getByTestId("diagram-run").getByRole("img").boundingBox())!;
  const span = endUs * (1 + 2 * FIT_MARGIN);
  const t0 = -endUs * FIT_MARGIN;
  const x = GUTTER_PX + ((timeUs - t0) / span) * (box.width - GUTTER_PX - RIGHT_PX);
  const y = AXIS_PX + laneHeight(nodes) * (node + 0.5);
  return { x: box.x + x, y: box.y + y };
}

test("read a run's diagram and step to a failed check's witness", async ({ page }) => {
  await signUp(page, newAccount("Leslie"));
  await scenarioFromTemplate(page, "response-lost");
  await runAndWait(page);
  await expect(page.getByTestId("verdict-badge")).toHaveText("✗ a check failed");

  // The diagram of the whole run: two computers, sixteen events, and a legend for the marks.
  const diagram = page.getByTestId("diagram-run");
  await expect(diagram.getByRole("img", { name: /Space-time diagram: 2 nodes, 16 events/ })).toBeVisible();
  await expect(page.getByTestId("diagram-run-caption")).toContainText("16 of 16 events in view");
  await expect(page.getByText("Lost message", { exact: true })).toBeVisible();
  await expect(page.getByText("Retry (resend)", { exact: true })).toBeVisible();
  await expect(page.getByTestId("event-log-count")).toHaveText("16 events");
  await expect(page.getByTestId("metrics")).toContainText("Retries");

  // Hovering C1's timeout at 100 ms shows what it is, with its clocks.
  const timeout = await pointInDiagram(page, 100_000, 0, 121_000, 2);
  await page.mouse.move(timeout.x, timeout.y);
  await expect(page.getByRole("tooltip")).toContainText("#7 timeout on C1 at 100 ms");
  await expect(page.getByRole("tooltip")).toContainText("Lamport 3");
  await page.mouse.move(0, 0);

  // The failed check names its witness; one click selects the first execution on C2.
  const check = page.getByTestId("check-at-most-once");
  await expect(check).toContainText("✗ fails");
  await expect(check).toContainText("was executed twice by C2");
  await check.getByRole("button", { name: /Show witness/ }).click();
  await expect(page.getByTestId("selected-event")).toHaveText("#4 execute on C2");
  await expect(page).toHaveURL(/[?&]step=4(&|$)/);
  await expect(page.getByTestId("witness-note")).toContainText("#4, #11");
  await expect(page.getByTestId("event-details")).toContainText('C2 executes request #0 (write journal = "dear diary")');
  await expect(page.getByTestId("log-row-4")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("log-row-11")).toHaveClass(/marked/);

  // Step to the second execution with the keyboard; the URL follows without adding history.
  const historyLength = await page.evaluate(() => history.length);
  for (let i = 0; i < 7; i++) await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("selected-event")).toHaveText("#11 execute on C2");
  await expect(page).toHaveURL(/[?&]step=11(&|$)/);
  expect(await page.evaluate(() => history.length)).toBe(historyLength);

  // The buttons step too, and the lost response shows where and why it was lost.
  await page.getByRole("button", { name: "First event" }).click();
  await expect(page.getByTestId("step-position")).toContainText("Step 0 of 15");
  await page.getByTestId("log-row-6").click();
  await expect(page.getByTestId("selected-event")).toHaveText("#6 drop on C2");
  await expect(page.getByTestId("event-details")).toContainText("is lost: a drop fault rule matched it");
  await expect(page.getByTestId("lamport")).toHaveText("7");
  await expect(page.getByTestId("vector-clock")).toHaveText("[C1: 2, C2: 5]");
  await expect(page.getByTestId("event-details")).toContainText("6 events happened before it");
  await page.getByRole("button", { name: "Next event" }).click();
  await expect(page.getByTestId("selected-event")).toHaveText("#7 timeout on C1");

  // Zooming in shows fewer events; Fit shows the whole run again.
  await diagram.getByRole("button", { name: "Zoom in" }).click();
  await diagram.getByRole("button", { name: "Zoom in" }).click();
  await expect(page.getByTestId("diagram-run-caption")).not.toContainText("16 of 16 events");
  await diagram.getByRole("button", { name: "Fit" }).click();
  await expect(page.getByTestId("diagram-run-caption")).toContainText("16 of 16 events in view");

  // The log filters by node and kind.
  const log = page.getByTestId("event-log");
  await log.getByLabel("Node").selectOption("C2");
  await log.getByLabel("Kind").selectOption("execute");
  await expect(page.getByTestId("event-log-count")).toHaveText("2 of 16 events match");
});

test("a step permalink opens the run at that step, selected, with its details", async ({ page }) => {
  await signUp(page, newAccount("Barbara"));
  await scenarioFromTemplate(page, "response-lost");
  await runAndWait(page);
  await page.getByTestId("log-row-9").click();
  await expect(page).toHaveURL(/[?&]step=9(&|$)/);
  const link = page.url();

  const fresh = await page.context().newPage();
  await fresh.goto(link);
  await expect(fresh.getByTestId("selected-event")).toHaveText("#9 deliver on C2");
  await expect(fresh.getByTestId("event-details")).toContainText("C2 receives the request of request #0 from C1, attempt 2");
  await expect(fresh.getByTestId("step-position")).toContainText("Step 9 of 15");
  await expect(fresh.getByTestId("log-row-9")).toHaveAttribute("aria-selected", "true");
  await expect(fresh.getByTestId("lamport")).toHaveText("8");
  await expect(fresh.getByTestId("vector-clock")).toHaveText("[C1: 4, C2: 6]");
  await fresh.close();
});

test("a permalink into a long run zooms to the step and scrolls the log to it", async ({ page }) => {
  await signUp(page, newAccount("Edsger"));
  await scenarioFromTemplate(page, "server-slow");
  const runUrl = await runAndWait(page);
  const fresh = await page.context().newPage();
  await fresh.goto(`${runUrl.split("?")[0]}?step=1500`);
  await expect(fresh.getByTestId("selected-event")).toHaveText(/^#1500 /);
  // The log has scrolled itself to the row: bring the log on screen and the row is there.
  await fresh.getByTestId("event-log-count").scrollIntoViewIfNeeded();
  await expect(fresh.getByTestId("log-row-1500")).toBeInViewport();
  // Zoomed in around the step rather than showing all the run's events.
  await expect(fresh.getByTestId("diagram-run-caption")).toContainText(/ of 1,\d{3} events in view/);
  const caption = (await fresh.getByTestId("diagram-run-caption").textContent()) ?? "";
  const inView = Number(/· ([\d,]+) of/.exec(caption)?.[1]?.replace(/,/g, ""));
  expect(inView).toBeLessThan(400);
  await fresh.close();
});
