// From pressing Run to seeing the result, in real Chromium against the default setup (`npm start`:
// SQLite, the web server and one worker as separate processes, default settings): a tiny
// scenario (the "Request lost" template) run again and again from its page; the time from the
// click until the verdict shows, with the run's own queue and work times beside it.
//   BENCH_URL=http://localhost:3000 npm run bench -- click   (else a server is started on :3198)
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "@playwright/test";
import { TEMPLATES } from "@/server/templates";

export const title = "click to result: a tiny run from its page, default SQLite setup";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PORT = 3198;
const CLICKS = Number(process.env.BENCH_CLICKS ?? 20);
/** Clicks before measuring: the first ones compile nothing, but warm connections and caches. */
const WARMUP_CLICKS = 2;
const SERVER_START_MS_MAX = 600_000;
const RESULT_WAIT_MS_MAX = 60_000;
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
];

async function waitForHealth(url: string, child: ChildProcess | null): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < SERVER_START_MS_MAX) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was ready`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
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

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN;
};
const ms = (v: number) => `${v.toFixed(0)} ms`;

export async function run(): Promise<void> {
  let base = process.env.BENCH_URL?.replace(/\/$/, "");
  let server: ChildProcess | null = null;
  if (!base) {
    base = `http://localhost:${PORT}`;
    console.log(`starting a server on :${PORT} (data/bench-click.db, default settings; the first start builds the web app)…`);
    server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--reset"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        PORT: String(PORT),
        DATABASE_URL: "file:./data/bench-click.db",
        NEXTAUTH_URL: base,
        FAULTLINE_DEMO: "0",
        // The diagram benchmark's build: the same sources, built once for both.
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-bench-ui",
      },
    });
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    await waitForHealth(base, server);
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/signup`);
    await page.getByLabel("Name").fill("Bench");
    await page.getByLabel("Email").fill(`bench-${randomBytes(4).toString("hex")}@bench.faultline`);
    await page.getByLabel("Password").fill("bench-pa55word");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByTestId("signed-in-as").waitFor();
    const template = TEMPLATES.find((t) => t.id === "request-lost")!;
    const scenario = await trpc<{ id: string }>(page, "scenario.create", { source: template.source }, true);

    const clicks: number[] = [];
    const navigations: number[] = [];
    const queued: number[] = [];
    const worked: number[] = [];
    // The breakdown, each step from the click (browser and server share this machine's clock):
    // the run row written, claimed, done; run.create answered; the run's page committed; its
    // event stream answered (none when the page was rendered with the run already done).
    const steps: Record<string, number[]> = { created: [], claimed: [], done: [], answered: [], page: [], stream: [], shown: [] };
    let renderedDone = 0;
    for (let i = 0; i < WARMUP_CLICKS + CLICKS; i++) {
      // As a person would: the page has loaded and prefetched its links before Run is pressed.
      await page.goto(`${base}/scenarios/${scenario.id}`, { waitUntil: "networkidle" });
      const button = page.getByRole("button", { name: "Run", exact: true });
      await button.waitFor();
      let answered = NaN;
      let stream = NaN;
      const onResponse = (res: import("@playwright/test").Response) => {
        const url = res.url();
        if (url.includes("/api/trpc/run.create")) answered = Date.now();
        else if (/\/api\/runs\/[^/]+\/events/.test(url) && Number.isNaN(stream)) stream = Date.now();
      };
      page.on("response", onResponse);
      const t0 = Date.now();
      await button.click();
      await page.waitForURL(/\/runs\/[a-z0-9]+/, { timeout: RESULT_WAIT_MS_MAX, waitUntil: "commit" });
      const navigated = Date.now() - t0;
      await page.getByTestId("verdict-badge").waitFor({ timeout: RESULT_WAIT_MS_MAX });
      const elapsed = Date.now() - t0;
      page.off("response", onResponse);
      if (i < WARMUP_CLICKS) continue;
      clicks.push(elapsed);
      navigations.push(navigated);
      const id = new URL(page.url()).pathname.split("/").pop()!;
      const r = await trpc<{ createdAt: string; startedAt: string; finishedAt: string }>(page, "run.byId", { id }, false);
      queued.push(Date.parse(r.startedAt) - Date.parse(r.createdAt));
      worked.push(Date.parse(r.finishedAt) - Date.parse(r.startedAt));
      steps.created!.push(Date.parse(r.createdAt) - t0);
      steps.claimed!.push(Date.parse(r.startedAt) - t0);
      steps.done!.push(Date.parse(r.finishedAt) - t0);
      steps.answered!.push(answered - t0);
      steps.page!.push(navigated);
      if (Number.isNaN(stream)) renderedDone++;
      else steps.stream!.push(stream - t0);
      steps.shown!.push(elapsed);
    }
    console.log(`${CLICKS} runs of "${template.title}" (after ${WARMUP_CLICKS} unmeasured), Chromium ${browser.version()} headless, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    console.log(`  click to verdict shown: p50 ${ms(percentile(clicks, 50))}, p90 ${ms(percentile(clicks, 90))}, max ${ms(Math.max(...clicks))} (goal: p50 < 300 ms)`);
    console.log(`  of which: click to the run's address p50 ${ms(percentile(navigations, 50))}; the run queued (created to claimed) p50 ${ms(percentile(queued, 50))}, simulated and stored (claimed to done) p50 ${ms(percentile(worked, 50))}`);
    const labels: Record<string, string> = {
      created: "run row written (request, check, enqueue)",
      claimed: "claimed by the worker",
      done: "simulated and stored",
      answered: "run.create answered in the browser",
      page: "run page committed",
      stream: "event stream answered",
      shown: "verdict shown",
    };
    console.log(`  timeline from the click, p50 (p90):`);
    for (const [k, xs] of Object.entries(steps)) {
      if (xs.length) console.log(`    ${labels[k]!.padEnd(42)} ${ms(percentile(xs, 50)).padStart(7)} (${ms(percentile(xs, 90))})`);
    }
    console.log(`  the page was rendered with the run already done (no event stream) in ${renderedDone} of ${CLICKS} clicks`);
    await context.close();
  } finally {
    await browser.close();
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
  }
}
