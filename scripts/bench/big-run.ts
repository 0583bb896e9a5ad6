// A 100,000-event run's page in real Chromium, driven by real input (keys, wheel, drag): time to
// the first diagram, input-to-frame for step, zoom and pan (median, p95), and the longest task
// that blocked the main thread while loading and while interacting.
//   npm run bench -- big-run      (BENCH_URL=http://localhost:3000 uses a running server instead)

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "@playwright/test";

export const title = "big run: input to frame at 100,000 events";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PORT = Number(process.env.BENCH_PORT ?? 3198);
/** Processed-event limit that gives about 100,000 trace records with this scenario (2.66 records an event). */
const MAX_EVENTS = 37_600;
const INTERACTIONS = 20;
const SERVER_START_MS_MAX = 600_000;
const RUN_WAIT_MS_MAX = 180_000;
const FRAME_WAIT_MS_MAX = 10_000;
/** Pause between inputs so that each is measured on its own, not coalesced with the previous one. */
const SETTLE_MS = 60;
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
];

const SCENARIO = `version: 1
name: bench big run
description: A closed loop of 10 nodes on a lossy network (timeouts, retries, drops), about 100,000 trace events.
until: 1000s
maxEvents: ${MAX_EVENTS}
nodes: [${Array.from({ length: 10 }, (_, i) => `{ id: N${i} }`).join(", ")}]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol: { kind: request-response, client: { timeout: 50ms, retries: 3 } }
workload: [{ clients: all, target: random, outstanding: 1, op: read, key: k }]
checks: [all-complete, at-most-once]
`;

/**
 * Installed before the page's own scripts: remembers when each input event happened (its
 * timeStamp, on the page's clock) and every long task, so input-to-frame is measured from the
 * moment the browser received the input to the start of the frame after the diagram redrew.
 */
const PROBE = `(() => {
  const w = window;
  w.__bench = { inputs: [], longTasks: [] };
  for (const type of ["keydown", "wheel", "pointermove"]) {
    addEventListener(type, (e) => { if (type !== "pointermove" || e.buttons) w.__bench.inputs.push(e.timeStamp); }, { capture: true, passive: true });
  }
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__bench.longTasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: "longtask", buffered: true });
  } catch {}
})();`;

async function waitForHealth(url: string, child: ChildProcess | null): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < SERVER_START_MS_MAX) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was ready`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
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

/** Frames the diagram finished since the page loaded ("diagram:frame" measures end at the next frame's start). */
const frameCount = (page: Page) => page.evaluate(() => performance.getEntriesByName("diagram:frame").length);

/** Performs one input, waits for the diagram's next frame, and returns input-to-frame in ms. */
async function oneInput(page: Page, act: () => Promise<void>, what = "input"): Promise<number> {
  const before = await frameCount(page);
  const inputsBefore = await page.evaluate(() => (window as unknown as { __bench: { inputs: number[] } }).__bench.inputs.length);
  await act();
  await page
    .waitForFunction((n) => performance.getEntriesByName("diagram:frame").length > n, before, { timeout: FRAME_WAIT_MS_MAX, polling: "raf" })
    .catch((err: unknown) => {
      throw new Error(`no diagram frame within ${FRAME_WAIT_MS_MAX} ms of a ${what}: ${String(err)}`);
    });
  const latency = await page.evaluate((k) => {
    const b = (window as unknown as { __bench: { inputs: number[] } }).__bench;
    const input = b.inputs[k];
    if (input === undefined) return NaN;
    const frame = performance.getEntriesByName("diagram:frame").find((e) => e.startTime >= input - 1);
    return frame ? frame.startTime + frame.duration - input : NaN;
  }, inputsBefore);
  await page.waitForTimeout(SETTLE_MS);
  return latency;
}

async function longestTask(page: Page, fromMs: number): Promise<number> {
  return page.evaluate((from) => {
    const b = (window as unknown as { __bench: { longTasks: { start: number; duration: number }[] } }).__bench;
    return b.longTasks.filter((t) => t.start >= from).reduce((m, t) => Math.max(m, t.duration), 0);
  }, fromMs);
}

const sorted = (xs: number[]) => xs.filter(Number.isFinite).sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(sorted(xs).length / 2)] ?? NaN;
const p95 = (xs: number[]) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? NaN;
};
const ms = (v: number) => `${v.toFixed(0)} ms`;

async function bench(page: Page, base: string): Promise<void> {
  const created = await trpc<{ id: string }>(page, "scenario.create", { source: SCENARIO }, true);
  const run = await trpc<{ id: string }>(page, "run.create", { scenarioId: created.id }, true);
  const start = Date.now();
  for (;;) {
    if (Date.now() - start > RUN_WAIT_MS_MAX) throw new Error(`run ${run.id} did not finish`);
    const s = await trpc<{ status: string; error: string | null }>(page, "run.status", { id: run.id }, false);
    if (s.status === "failed") throw new Error(`run failed: ${s.error}`);
    if (s.status === "done") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const eventCount = (await trpc<{ eventCount: number }>(page, "run.byId", { id: run.id }, false)).eventCount;

  await page.goto(`${base}/runs/${run.id}`);
  await page.getByTestId("diagram-run-caption").filter({ hasText: "events in view" }).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => performance.getEntriesByName("diagram:frame").length > 0);
  const load = await page.evaluate(() => {
    // No named functions in here: the bundler would wrap them in a helper the page lacks.
    const f = performance.getEntriesByName("diagram:frame")[0]!;
    const [fetch, decode, model] = ["trace:fetch", "trace:decode", "diagram:model"].map((n) => performance.getEntriesByName(n)[0]?.duration ?? NaN);
    const fetchStart = performance.getEntriesByName("trace:fetch")[0]?.startTime ?? NaN;
    const d0 = performance.getEntriesByName("diagram:draw")[0];
    const m0 = performance.getEntriesByName("diagram:model")[0];
    const steps = { modelEnd: m0 ? m0.startTime + m0.duration : NaN, drawStart: d0?.startTime ?? NaN, draw: d0?.duration ?? NaN };
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    return { firstDiagram: f.startTime + f.duration, fetch: fetch!, decode: decode!, model: model!, fetchStart, ...steps, html: nav?.responseEnd ?? NaN, domReady: nav?.domContentLoadedEventEnd ?? NaN };
  });
  // Tasks that ran while the page loaded (the first diagram included).
  const loadLongest = await longestTask(page, 0);

  const canvas = page.getByTestId("diagram-run").getByRole("img");
  /** The canvas's middle in the viewport, after scrolling it into view (clicks elsewhere may scroll the page). */
  const middle = async () => {
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    return { cx: box.x + box.width / 2, cy: box.y + box.height / 2 };
  };
  const interactFrom = await page.evaluate(() => performance.now());

  // Step: the → key, from the first event (moves the selection, the log, the state panel, redraws).
  await page.getByRole("button", { name: "First event" }).click();
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  const step: number[] = [];
  for (let i = 0; i < INTERACTIONS; i++) step.push(await oneInput(page, () => page.keyboard.press("ArrowRight"), "step"));

  // Zoom: wheel notches over the middle, in then out, from the whole run (the densest frames).
  await page.getByTestId("diagram-run").getByRole("button", { name: "Fit" }).click();
  let { cx, cy } = await middle();
  await page.mouse.move(cx, cy);
  const zoom: number[] = [];
  for (let i = 0; i < INTERACTIONS; i++) zoom.push(await oneInput(page, () => page.mouse.wheel(0, i < INTERACTIONS / 2 ? -240 : 240), "zoom"));

  // Pan: drag sideways in 40 px moves, zoomed in 4x (at Fit there is nowhere to pan to).
  await page.getByTestId("diagram-run").getByRole("button", { name: "Fit" }).click();
  await page.getByTestId("diagram-run").getByRole("button", { name: "Zoom in" }).click();
  await page.getByTestId("diagram-run").getByRole("button", { name: "Zoom in" }).click();
  ({ cx, cy } = await middle());
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const pan: number[] = [];
  for (let i = 1; i <= INTERACTIONS; i++) {
    const x = cx + (i % 2 === 0 ? 1 : -1) * 40 * Math.ceil(i / 2);
    pan.push(await oneInput(page, () => page.mouse.move(x, cy), "pan"));
  }
  await page.mouse.up();
  const interactLongest = await longestTask(page, interactFrom);

  console.log(`machine load average ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} (1 / 5 / 15 min) on ${os.cpus().length} cores`);
  console.log(`${eventCount.toLocaleString("en-US")} trace events (10 nodes, closed loop, loss 0.05); ${INTERACTIONS} inputs each`);
  console.log(`  time to first diagram:  ${ms(load.firstDiagram)} from navigation (page HTML in at ${ms(load.html)}, scripts ran by ${ms(load.domReady)}, trace asked for at ${ms(load.fetchStart)} and in ${ms(load.fetch)} later, decode ${ms(load.decode)}, model ${ms(load.model)} done at ${ms(load.modelEnd)}, first draw at ${ms(load.drawStart)} taking ${ms(load.draw)})`);
  console.log(`  longest blocking task:  ${ms(loadLongest)} while loading, ${ms(interactLongest)} while interacting`);
  console.log(`  input to frame, median / p95:`);
  console.log(`    step (→ key)   ${ms(median(step))} / ${ms(p95(step))}`);
  console.log(`    zoom (wheel)   ${ms(median(zoom))} / ${ms(p95(zoom))}`);
  console.log(`    pan (drag)     ${ms(median(pan))} / ${ms(p95(pan))}`);
}

export async function run(): Promise<void> {
  let base = process.env.BENCH_URL?.replace(/\/$/, "");
  let server: ChildProcess | null = null;
  if (!base) {
    base = `http://localhost:${PORT}`;
    console.log(`starting a server on :${PORT} (data/bench-big-run.db; the first start builds the web app)…`);
    server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--reset"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        PORT: String(PORT),
        DATABASE_URL: "file:./data/bench-big-run.db",
        NEXTAUTH_URL: base,
        FAULTLINE_DEMO: "0",
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-bench-ui",
      },
    });
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    await waitForHealth(base, server);
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`page error: ${e.message}\n${e.stack ?? ""}`));
    console.log(`Chromium ${browser.version()} headless, software rendering (--disable-gpu), 1280x900 at 1x`);
    await page.goto(`${base}/signup`);
    await page.getByLabel("Name").fill("Bench");
    await page.getByLabel("Email").fill(`bench-${randomBytes(4).toString("hex")}@bench.faultline`);
    await page.getByLabel("Password").fill("bench-pa55word");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByTestId("signed-in-as").waitFor();
    await bench(page, base);
    await context.close();
  } finally {
    await browser.close();
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
  }
}
