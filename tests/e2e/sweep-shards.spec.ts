// A sweep in shards as its owner sees it: while it runs, its page shows the results of the shards
// that finished so far, growing, pushed by the server; Cancel run stops it, and the page keeps the
// results of the seeds that finished (docs/queue.md, "Sweeps in shards"). Waits follow progress.
import { expect, test, type Page } from "@playwright/test";
import { newAccount, signUp } from "./helpers";

// About 100,000 events a seed: a shard of 20 seeds takes a few seconds.
const MEDIUM = `version: 1
name: medium closed loop
until: 600s
maxEvents: 100000
nodes: [{ id: A }, { id: B }, { id: C }, { id: D }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol:
  kind: request-response
  client: { timeout: 50ms, retries: 3 }
  server: { processing: 1ms }
workload:
  - { clients: all, target: random, outstanding: 2, op: read, key: k }
checks: [all-complete]
`;

async function trpc<T>(page: Page, proc: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${proc}`, { data: input });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!body.result) throw new Error(`${proc}: ${body.error?.message ?? res.status()}`);
  return body.result.data;
}

test("a running sweep shows partial results, and cancelling keeps them", async ({ page }) => {
  test.setTimeout(15 * 60_000); // a last resort; the waits below follow the sweep
  await signUp(page, newAccount("Shard"));
  const scenario = await trpc<{ id: string }>(page, "scenario.create", { source: MEDIUM });
  const sweep = await trpc<{ id: string }>(page, "run.create", { scenarioId: scenario.id, sweep: { seeds: 2000 } });
  await page.goto(`/runs/${sweep.id}`);
  // Results of the first shards, before the sweep ends: no reload, the page is pushed its state.
  const note = page.getByTestId("sweep-partial-note");
  await expect(note).toContainText(/Partial results: [\d,]+ of 2,000 seeds so far/, { timeout: 10 * 60_000 });
  await expect(page.getByTestId("sweep-checks")).toContainText(/Checks over [\d,]+ seeds/);
  await page.getByTestId("cancel-run").click();
  await expect(page.getByTestId("run-cancelled")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("status-badge")).toHaveText("cancelled");
  await expect(note).toContainText(/Cancelled: these results cover the [\d,]+ of 2,000 seeds that finished/);
  await page.reload();
  await expect(page.getByTestId("run-cancelled")).toBeVisible();
  await expect(page.getByTestId("sweep-checks")).toBeVisible();
});
