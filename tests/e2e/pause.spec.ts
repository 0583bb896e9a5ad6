// A pause fault as a student sees it: a band on the paused node's line between its pause and
// resume marks, the two events in the log (filtered by kind) and the details, the legend's entry,
// and the story's sentence, which selects the pause.
import { expect, test } from "@playwright/test";
import { newAccount, runAndWait, saveNewVersion, scenarioFromTemplate, signUp } from "./helpers";

/** C1 writes once; C2 is paused from 5 ms to 205 ms, so the write waits for it. */
const PAUSED = `version: 1
name: Paused server
description: C2 stops for 200 ms (a long garbage collection); C1's write waits.
seed: 1
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s }, server: { processing: 1ms } }
workload:
  - { client: C1, server: C2, op: write, key: k, value: v, count: 1 }
faults:
  - { kind: pause, node: C2, from: 5ms, until: 205ms }
checks: [all-complete, at-most-once]
`;

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto("/signup");
  await page.waitForLoadState("networkidle");
  await page.close();
});

test("a pause is drawn on the node's line, listed in the log and told in the story", async ({ page }) => {
  await signUp(page, newAccount("Pausa"));
  await scenarioFromTemplate(page, "response-lost");
  await saveNewVersion(page, PAUSED, 2);
  await runAndWait(page);

  // The story tells it; the sentence selects the pause.
  const told = page.getByTestId("narrative").getByRole("button", { name: "C2 paused at 5 ms for 200 ms (fault rule 1); the request waited until it resumed at 205 ms.", exact: true });
  await told.click();
  await expect(page.getByTestId("selected-event")).toHaveText("#2 pause on C2");
  await expect(page.getByTestId("event-details")).toContainText("C2 pauses for 200 ms: it keeps its state but processes nothing");

  // The log lists the pause and its resume, with the rule and the length, and filters by kind.
  await expect(page.getByTestId("log-row-2")).toContainText("pause");
  await expect(page.getByTestId("log-row-2")).toContainText("fault rule 1 · 200 ms");
  await expect(page.getByTestId("log-row-3")).toContainText("resume");
  await page.getByTestId("event-log").getByLabel("Kind").selectOption("resume");
  await expect(page.getByTestId("event-log-count")).toHaveText("1 of 11 events match");
  await page.getByTestId("log-row-3").click();
  await expect(page.getByTestId("selected-event")).toHaveText("#3 resume on C2");

  // The legend explains the mark, and the diagram draws the band: many pixels of its tint.
  await expect(page.locator(".legend")).toContainText("Pause");
  const canvas = page.getByTestId("diagram-run").getByRole("img");
  await expect
    .poll(() =>
      canvas.evaluate((c) => {
        const el = c as HTMLCanvasElement;
        const data = el.getContext("2d")!.getImageData(0, 0, el.width, el.height).data;
        let band = 0;
        let marks = 0;
        for (let p = 0; p < data.length; p += 4) {
          const [r, g, b] = [data[p]!, data[p + 1]!, data[p + 2]!];
          // The band: the pause colour (16, 152, 173) at 10 % over white.
          if (Math.abs(r - 231) <= 3 && Math.abs(g - 245) <= 3 && Math.abs(b - 247) <= 3) band++;
          // The pause and resume bars in the pause colour itself.
          if (Math.abs(r - 16) <= 12 && Math.abs(g - 152) <= 12 && Math.abs(b - 173) <= 12) marks++;
        }
        return band > 500 && marks > 20;
      }),
    )
    .toBe(true);
});
