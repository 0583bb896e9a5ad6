// The queue as a user sees it: a run waiting behind heavy runs shows its place in the queue,
// and its page follows it up the queue, through running, to its result, without a reload
// (the server pushes the run's state). Waits follow the run's progress, not a fixed budget.
import { expect, test, type Page } from "@playwright/test";
import { newAccount, signUp } from "./helpers";

// 500,000 declared events a seed: each sweep is cut into shards of a few seeds, taken in fair
// order, so the third sweep waits for the shards of the first two (docs/queue.md).
const BUSY = `version: 1
name: busy closed loop
until: 600s
maxEvents: 500000
nodes: [{ id: A }, { id: B }, { id: C }, { id: D }, { id: E }, { id: F }, { id: G }, { id: H }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms } }
protocol:
  kind: request-response
  client: { timeout: 50ms, retries: 3 }
  server: { processing: 1ms }
workload:
  - { clients: all, target: random, outstanding: 2, op: read, key: k }
checks: [at-most-once]
`;
/** How long the page may show the same state before the wait counts as stuck (the queue made no progress). */
const STALLED_MS = 60_000;

async function trpc<T>(page: Page, proc: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${proc}`, { data: input });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!body.result) throw new Error(`${proc}: ${body.error?.message ?? res.status()}`);
  return body.result.data;
}

/** Waits until `done` is visible, failing only when the live state's text stops changing for STALLED_MS. */
async function untilShown(page: Page, done: string): Promise<void> {
  let last = "";
  let changedAt = Date.now();
  for (;;) {
    if (await page.getByTestId(done).isVisible()) return;
    // Read without waiting: the live state leaves the page when the run ends, and a read that
    // waited for it would wait for ever once it has gone.
    const now = (await page.getByTestId("live-state").allTextContents()).join(" ");
    if (now !== last) {
      last = now;
      changedAt = Date.now();
    } else if (Date.now() - changedAt > STALLED_MS) {
      throw new Error(`the run page showed "${now}" for ${STALLED_MS / 1000} s`);
    }
    await page.waitForTimeout(100);
  }
}

test("a queued run shows its place in the queue and follows itself to the result without a reload", async ({ page }) => {
  test.setTimeout(15 * 60_000); // a last resort; the waits below follow progress
  await signUp(page, newAccount("Quinn"));
  const scenario = await trpc<{ id: string }>(page, "scenario.create", { source: BUSY });
  await trpc(page, "run.create", { scenarioId: scenario.id, sweep: { seeds: 40 } });
  await trpc(page, "run.create", { scenarioId: scenario.id, sweep: { seeds: 20 } });
  const third = await trpc<{ id: string }>(page, "run.create", { scenarioId: scenario.id, sweep: { seeds: 20 } });

  await page.goto(`/runs/${third.id}`);
  await expect(page.getByTestId("queue-position")).toHaveText(", position 3 in the queue");
  let reloaded = false;
  page.on("framenavigated", (frame) => (reloaded ||= frame === page.mainFrame()));
  await untilShown(page, "verdict-badge");
  await expect(page.getByTestId("verdict-badge")).toHaveText("✓ all checks hold");
  expect(reloaded).toBe(false);
});
