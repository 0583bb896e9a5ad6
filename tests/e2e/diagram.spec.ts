// Reading a busy diagram and previewing while editing, at desktop and phone widths: focus one
// request (the rest dims), collapse retries (a ×N badge), draw only what the event log's filter
// matches, and the editor's instant preview that follows the text as it is typed.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { editorText, newAccount, replaceEditorText, runAndWait, scenarioFromTemplate, signUp } from "./helpers";

const WIDTHS = [
  { name: "desktop", viewport: { width: 1280, height: 900 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
];

/** The diagram's picture, to see that a control changed what is drawn (and changing it back restores it). */
const picture = (canvas: Locator) => canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());

/** The picture once redrawing has settled (two looks a few frames apart agree). */
async function settledPicture(page: Page, canvas: Locator): Promise<string> {
  let last = "";
  await expect
    .poll(async () => {
      const a = await picture(canvas);
      await page.waitForTimeout(150);
      last = await picture(canvas);
      return a === last;
    })
    .toBe(true);
  return last;
}

async function pictureChanges(canvas: Locator, from: string): Promise<string> {
  let now = from;
  await expect.poll(async () => (now = await picture(canvas)) !== from, { message: "the diagram should be redrawn" }).toBe(true);
  return now;
}

/** Moves the keyboard focus to `target` with Tab (or Shift+Tab when it comes earlier in the page). */
async function tabTo(page: Page, target: Locator): Promise<void> {
  const before = await target.evaluate((el) => {
    const active = document.activeElement;
    return !!active && active !== document.body && (el.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  for (let i = 0; i < 120; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(before ? "Shift+Tab" : "Tab");
  }
  throw new Error("the control was not reached with Tab");
}

// A freshly started server under load can take long over its first pages, and a click on Create
// account before the page's scripts have run does nothing: load the page once before the tests.
test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto("/signup");
  await page.waitForLoadState("networkidle");
  await page.close();
});

for (const { name, viewport } of WIDTHS) {
  test.describe(`at ${name} width`, () => {
    test.use({ viewport });

    test("focus a request, collapse retries and apply the log's filter, from the keyboard", async ({ page }) => {
      await signUp(page, newAccount("Lamport"));
      await scenarioFromTemplate(page, "lossy-retries");
      await runAndWait(page);
      const diagram = page.getByTestId("diagram-run");
      const canvas = diagram.getByRole("img");
      const caption = page.getByTestId("diagram-run-caption");
      await expect(caption).toContainText("events in view");
      const total = Number((await page.getByTestId("event-log-count").innerText()).replace(/\D/g, ""));
      expect(total).toBeGreaterThan(300);

      // Nothing selected: nothing to focus on yet.
      const focusButton = page.getByRole("button", { name: "Focus this request" });
      await expect(focusButton).toBeDisabled();

      // Select the first event (Home), then focus its request with the keyboard.
      await page.locator("body").click({ position: { x: 1, y: 1 } });
      await page.keyboard.press("Home");
      await expect(page.getByTestId("selected-event")).toHaveText("#0 issue on C1");
      const before = await settledPicture(page, canvas);
      await tabTo(page, focusButton);
      await page.keyboard.press("Enter");
      const focused = page.getByTestId("lens-focus");
      await expect(focused).toContainText("Focused on request 0 (C1 → C2, read journal)");
      // Request 0 is a handful of events of the run; the others are dimmed, so the picture changes.
      const count = Number(/· ([\d,]+) events/.exec(await focused.innerText())![1]!.replace(/,/g, ""));
      expect(count).toBeGreaterThanOrEqual(5);
      expect(count).toBeLessThan(total / 10);
      await pictureChanges(canvas, before);
      await focused.getByRole("button", { name: "Clear focus" }).press("Enter");
      await expect(focused).toHaveCount(0);
      await expect.poll(() => picture(canvas)).toBe(before);

      // Collapse retries: each retried request is drawn once, with a ×N badge.
      const collapse = page.getByRole("checkbox", { name: "Collapse retries" });
      await tabTo(page, collapse);
      await page.keyboard.press("Space");
      await expect(collapse).toBeChecked();
      await expect(page.getByTestId("lens-collapsed")).toContainText(/\(\d+ retried requests?\)/);
      await expect(caption).toContainText(/retried requests? drawn once \(×N\)/);
      await expect(caption).toContainText("drawn");
      const collapsed = await pictureChanges(canvas, before);
      await page.keyboard.press("Space");
      await expect(collapse).not.toBeChecked();
      await expect(caption).not.toContainText("drawn once");

      // The event log's filter, applied to the diagram: only C2's events are drawn.
      await page.getByLabel("Node", { exact: true }).selectOption("C2");
      const logCount = page.getByTestId("event-log-count");
      await expect(logCount).toContainText("events match");
      const matching = (await logCount.innerText()).split(" of ")[0]!;
      const apply = page.getByRole("checkbox", { name: "Apply the log's filter" });
      await tabTo(page, apply);
      await page.keyboard.press("Space");
      await expect(page.getByTestId("lens-filter")).toContainText(`(${matching} of ${total.toLocaleString("en-US")} events)`);
      await expect(caption).toContainText(`${matching} drawn`);
      const filtered = await pictureChanges(canvas, before);
      expect(filtered).not.toBe(collapsed);
      // Any node again: the filter no longer narrows anything.
      await page.getByLabel("Node", { exact: true }).selectOption("");
      await expect(page.getByTestId("lens-filter")).toContainText("no filter set in the event log");
      await expect.poll(() => picture(canvas)).toBe(before);
    });

    test("the editor previews the scenario as it is typed", async ({ page }) => {
      await signUp(page, newAccount("Preview"));
      await scenarioFromTemplate(page, "response-lost");
      const preview = page.getByTestId("preview");
      const status = page.getByTestId("preview-status");
      // The saved text runs in the browser at once: C2 writes twice without dedupe.
      await expect(status).toContainText("Seed 1: 16 events, 1 of 2 checks fail");
      await expect(status).toContainText("not stored");
      await expect(preview.getByTestId("preview-check-at-most-once")).toContainText("✗ fails");
      await expect(preview.getByTestId("preview-check-all-complete")).toContainText("✓ holds");
      await expect(page.getByTestId("diagram-preview-caption")).toContainText("16 of 16 events in view");

      // Turning dedupe on fixes it; the preview follows without pressing Run.
      const text = await editorText(page);
      await replaceEditorText(page, text.replace("dedupe: false", "dedupe: true"));
      await expect(preview.getByTestId("preview-check-at-most-once")).toContainText("✓ holds");
      await expect(status).toContainText("every check holds");

      // A second request makes a longer run, and the diagram shows it.
      await replaceEditorText(page, text.replace("count: 1 }", "count: 2, interval: 1s }"));
      await expect(status).toContainText(/Seed 1: \d+ events/);
      await expect(page.getByTestId("diagram-preview-caption")).not.toContainText("16 of 16 events");
      await expect(preview.getByTestId("preview-check-at-most-once")).toContainText("✗ fails");

      // Text with problems has no preview; a scenario too big for the browser says to press Run.
      await replaceEditorText(page, text.replace("until: 10s", "until: nonsense"));
      await expect(status).toHaveText("Fix the problems in the scenario to see a preview.");
      await replaceEditorText(page, text.replace("count: 1 }", "count: 100000, interval: 1ms }").replace("until: 10s", "until: 1000s"));
      await expect(status).toContainText("Too big to preview");
      await expect(status).toContainText("Press Run for the full run.");
    });
  });
}
