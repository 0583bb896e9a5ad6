// The run page's space-time diagram in real Chromium: load, decode and first full draw of a
// 10,000- and a 100,000-event run, then redraws on zoom, pan and step, from the page's own marks.
//   BENCH_URL=http://localhost:3000 npm run bench -- diagram   (else a server is started on :3199)

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "@playwright/test";

export const title = "diagram rendering";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PORT = 3199;
/** Trace records wanted, and the processed-event limit that gives about that many (2.66 records/event here). */
const SIZES = [
  { label: "10,000", maxEvents: 3_760 },
  { label: "100,000", maxEvents: 37_600 },
];
const INTERACTIONS = 15;
const SERVER_START_MS_MAX = 600_000;
const RUN_WAIT_MS_MAX = 120_000;
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
];

function scenario(maxEvents: number): string {
  return `version: 1
name: bench diagram ${maxEvents}
description: A closed loop of 10 nodes on a lossy network (timeouts, retries, drops), for the diagram benchmark.
until: 1000s
maxEvents: ${maxEvents}
nodes: [${Array.from({ length: 10 }, (_, i) => `{ id: N${i} }`).join(", ")}]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol: { kind: request-response, client: { timeout: 50ms, retries: 3 } }
workload: [{ clients: all, target: random, outstanding: 1, op: read, key: k }]
checks: [all-complete, at-most-once]
`;
}

async function waitForHealth(url: string, child: ChildProcess | null): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < SERVER_START_MS_MAX) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was ready`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`no answer from ${url}/api/health`);
}

async function trpc<T>(page: Page, proc: string, input: unknown, mutation: boolean): Promise<T> {
  const res = mutation
    ? await page.request.post(`/api/trpc/${proc}`, { data: input })
    : await page.request.get(`/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify(input))}`);
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!body.result) throw new Error(`${proc}: ${body.error?.message ?? res.status()}`);
  return body.result.data;
}

interface Measure {
  name: string;
  duration: number;
  detail: { reason?: string; events?: number; arrows?: number; dense?: boolean; instance?: string } | null;
}

async function measures(page: Page): Promise<Measure[]> {
  return page.evaluate(() =>
    performance.getEntriesByType("measure").map((m) => ({ name: m.name, duration: m.duration, detail: (m as PerformanceMeasure).detail as Measure["detail"] })),
  );
}

/** Runs `act` in the page and resolves when the diagram has drawn again and the next frame began: input to picture. */
async function timed(page: Page, act: string): Promise<number> {
  return page.evaluate(async (code) => {
    const before = performance.getEntriesByName("diagram:draw").length;
    const t0 = performance.now();
    new Function(code)();
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      if (performance.getEntriesByName("diagram:draw").length > before) break;
    }
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  }, act);
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
const p95 = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]! : NaN);
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function benchOne(page: Page, base: string, size: (typeof SIZES)[number]): Promise<void> {
  const created = await trpc<{ id: string }>(page, "scenario.create", { source: scenario(size.maxEvents) }, true);
  const run = await trpc<{ id: string }>(page, "run.create", { scenarioId: created.id }, true);
  const start = Date.now();
  let status = "queued";
  let eventCount = 0;
  while (status !== "done") {
    if (Date.now() - start > RUN_WAIT_MS_MAX) throw new Error(`run ${run.id} did not finish`);
    const s = await trpc<{ status: string; error: string | null }>(page, "run.status", { id: run.id }, false);
    status = s.status;
    if (status === "failed") throw new Error(`run failed: ${s.error}`);
    if (status !== "done") await new Promise((r) => setTimeout(r, 200));
  }
  eventCount = (await trpc<{ eventCount: number }>(page, "run.byId", { id: run.id }, false)).eventCount;

  const t0 = Date.now();
  await page.goto(`${base}/runs/${run.id}`);
  await page.getByTestId("diagram-run-caption").filter({ hasText: "events in view" }).waitFor({ timeout: 60_000 });
  const pageMs = Date.now() - t0;
  const first = await measures(page);
  const get = (name: string) => first.find((m) => m.name === name)?.duration ?? NaN;
  const firstDraw = first.find((m) => m.name === "diagram:draw" && m.detail?.reason === "first");
  const firstFrame = first.find((m) => m.name === "diagram:frame" && m.detail?.reason === "first");

  const canvas = page.getByTestId("diagram-run").getByRole("img");
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const sel = `document.querySelector('[data-testid="diagram-run"] canvas')`;

  // Zoom: wheel notches around the middle, in then out (the first ones draw the densest frames).
  const zoom: number[] = [];
  for (let i = 0; i < INTERACTIONS; i++) {
    const dy = i < INTERACTIONS / 2 ? -240 : 240;
    zoom.push(await timed(page, `${sel}.dispatchEvent(new WheelEvent("wheel", { deltaY: ${dy}, clientX: ${cx}, clientY: ${cy}, bubbles: true, cancelable: true }))`));
  }
  // Pan: drag in 40 px steps, zoomed in 4x (fully zoomed out there is nowhere to pan to).
  await page.getByTestId("diagram-run").getByRole("button", { name: "Fit" }).click();
  await page.getByTestId("diagram-run").getByRole("button", { name: "Zoom in" }).click();
  await page.getByTestId("diagram-run").getByRole("button", { name: "Zoom in" }).click();
  const pan: number[] = [];
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= INTERACTIONS; i++) {
    const x = cx + (i % 2 === 0 ? 1 : -1) * 40 * Math.ceil(i / 2);
    pan.push(await timed(page, `${sel}.dispatchEvent(new PointerEvent("pointermove", { clientX: ${x}, clientY: ${cy}, bubbles: true, pointerId: 1, isPrimary: true, buttons: 1 }))`));
  }
  await page.mouse.up();
  await page.getByTestId("diagram-run").getByRole("button", { name: "Fit" }).click();
  // Step: the → key from event 0 (moves the selection, recomputes the causal past, redraws).
  await page.getByRole("button", { name: "First event" }).click();
  const stepFrames: number[] = [];
  for (let i = 0; i < INTERACTIONS; i++) {
    stepFrames.push(await timed(page, `window.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }))`));
  }
  const all = await measures(page);
  const draws = (reason: string) => all.filter((m) => m.name === "diagram:draw" && m.detail?.reason === reason).map((m) => m.duration);
  // Deep in the run: the causal past of an event near the end covers most of the trace.
  await page.goto(`${base}/runs/${run.id}?step=${eventCount - 50}`);
  await page.getByTestId("diagram-run-caption").filter({ hasText: "events in view" }).waitFor({ timeout: 60_000 });
  const lateStep: number[] = [];
  for (let i = 0; i < INTERACTIONS; i++) {
    lateStep.push(await timed(page, `window.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true }))`));
  }
  const late = (await measures(page)).filter((m) => m.name === "diagram:draw" && m.detail?.reason === "select").map((m) => m.duration);

  console.log(`\n${size.label}-event run: ${eventCount.toLocaleString("en-US")} trace events (10 nodes, closed loop, loss 0.05)`);
  console.log(`  page load to first full draw: ${ms(pageMs)} wall (fetch ${ms(get("trace:fetch"))}, decode ${ms(get("trace:decode"))}, model ${ms(get("diagram:model"))})`);
  console.log(
    `  first full draw:              ${ms(firstDraw?.duration ?? NaN)} JavaScript, ${ms(firstFrame?.duration ?? NaN)} until the next frame ` +
      `(${firstDraw?.detail?.events?.toLocaleString("en-US")} events in view${firstDraw?.detail?.dense ? ", dense: density band" : ""}, ${firstDraw?.detail?.arrows?.toLocaleString("en-US")} arrows drawn)`,
  );
  console.log(`  zoom (wheel):  draw median ${ms(median(draws("zoom")))}, p95 ${ms(p95(draws("zoom")))}; input to next frame median ${ms(median(zoom))}, p95 ${ms(p95(zoom))}`);
  console.log(`  pan (drag):    draw median ${ms(median(draws("pan")))}, p95 ${ms(p95(draws("pan")))}; input to next frame median ${ms(median(pan))}, p95 ${ms(p95(pan))}`);
  console.log(`  step (→ key):  draw median ${ms(median(draws("select").concat(draws("highlight"))))}; input to next frame median ${ms(median(stepFrames))}, p95 ${ms(p95(stepFrames))}`);
  console.log(`  step near the end (causal past of ~${(eventCount - 50).toLocaleString("en-US")} events, view zoomed to the step): draw median ${ms(median(late))}; input to next frame median ${ms(median(lateStep))}, p95 ${ms(p95(lateStep))}`);
}

export async function run(): Promise<void> {
  let base = process.env.BENCH_URL?.replace(/\/$/, "");
  let server: ChildProcess | null = null;
  if (!base) {
    base = `http://localhost:${PORT}`;
    console.log(`starting a server on :${PORT} (data/bench-ui.db; the first start builds the web app)…`);
    server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--reset"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        PORT: String(PORT),
        DATABASE_URL: "file:./data/bench-ui.db",
        NEXTAUTH_URL: base,
        FAULTLINE_DEMO: "0",
        WORKER_POLL_MS: "100",
        // A build of its own, so the benchmark never replaces a running server's build.
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-bench-ui",
      },
    });
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    await waitForHealth(base, server);
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    console.log(`Chromium ${browser.version()} headless, software rendering (--disable-gpu), 1280x900 at 1x; ${INTERACTIONS} interactions each`);
    await page.goto(`${base}/signup`);
    await page.getByLabel("Name").fill("Bench");
    await page.getByLabel("Email").fill(`bench-${randomBytes(4).toString("hex")}@bench.faultline`);
    await page.getByLabel("Password").fill("bench-pa55word");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByTestId("signed-in-as").waitFor();
    for (const size of SIZES) await benchOne(page, base, size);
    await context.close();
  } finally {
    await browser.close();
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
  }
}
