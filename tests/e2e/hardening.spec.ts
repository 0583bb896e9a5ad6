// The service under abuse, against the real server (web front, Next.js, worker): security headers
// on every page with the editor and diagrams still working under the Content-Security-Policy;
// bodies refused at their limit; deep documents answered at once; other sites' requests refused;
// sign-in limits answering 429 with Retry-After; and health checks answering while a large trace
// downloads as JSONL.
import { expect, test, type Page } from "@playwright/test";
import { connect } from "node:net";
import { newAccount, runAndWait, scenarioFromTemplate, signUp } from "./helpers";

/** Collects what the browser reports about Content-Security-Policy while a page is used. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|evaluate)/i.test(msg.text())) seen.push(msg.text());
  });
  return seen;
}

test("every page has a nonce-based Content-Security-Policy and Permissions-Policy, and the editor and diagram work under it", async ({ page, baseURL }) => {
  const violations = cspViolations(page);
  for (const path of ["/", "/gallery", "/templates", "/help/format", "/signin"]) {
    const res = await page.goto(path);
    const csp = res!.headers()["content-security-policy"] ?? "";
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+' 'strict-dynamic'/);
    expect(csp, path).toContain("object-src 'none'");
    expect(res!.headers()["permissions-policy"], path).toContain("camera=()");
    // Served over plain http here: no HSTS.
    expect(res!.headers()["strict-transport-security"], path).toBeUndefined();
  }
  // Two loads, two nonces.
  const a = (await page.goto("/"))!.headers()["content-security-policy"];
  const b = (await page.goto("/"))!.headers()["content-security-policy"];
  expect(a).not.toBe(b);
  const api = await page.request.get(`${baseURL}/api/health`);
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");

  // The scripted parts: sign-up form, CodeMirror editor, the run page's canvas diagram.
  await signUp(page, newAccount("Csp"));
  await scenarioFromTemplate(page, "request-lost");
  await expect(page.locator(".cm-editor")).toBeVisible();
  await runAndWait(page);
  await expect(page.locator("canvas").first()).toBeVisible();
  expect(violations).toEqual([]);
});

test("a declared 400 MiB body is refused with 413 before it is sent, and health checks answer meanwhile", async ({ baseURL }) => {
  const url = new URL(baseURL!);
  const socket = connect(Number(url.port), url.hostname);
  const answer = new Promise<string>((resolve) => {
    let text = "";
    socket.on("data", (d) => (text += d.toString()));
    socket.on("close", () => resolve(text));
    socket.on("error", () => resolve(text));
  });
  socket.write(`POST /api/trpc/scenario.validate HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${400 * 1024 * 1024}\r\n\r\n`);
  socket.write(Buffer.alloc(64 * 1024, 0x20));
  const healthMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    expect((await fetch(`${baseURL}/api/health`)).ok).toBe(true);
    healthMs.push(performance.now() - t0);
  }
  const text = await answer;
  expect(text).toMatch(/^HTTP\/1\.1 413/);
  expect(text).toContain("larger than this address takes (1 MiB)");
  // Health checks were answered while it ran (how fast depends on the machine's load: printed, not asserted).
  expect(healthMs.length).toBeGreaterThan(0);
  console.log(`health checks meanwhile: max ${Math.max(...healthMs).toFixed(0)} ms over ${healthMs.length}`);
});

test("a deeply nested document is answered at once, and other sites cannot post", async ({ request }) => {
  const deep = "a: " + "[".repeat(120_000) + "]".repeat(120_000);
  const res = await request.post("/api/trpc/scenario.validate", { data: { source: deep } });
  const body = (await res.json()) as { result: { data: { problems: { message: string }[] } } };
  expect(body.result.data.problems[0]!.message).toMatch(/nests deeper than \d+ levels/);

  const foreign = await request.post("/api/trpc/scenario.validate", { data: { source: "name: x" }, headers: { origin: "https://evil.example" } });
  expect(foreign.status()).toBe(403);
  const signOut = await request.post("/api/auth/signout", { form: { csrfToken: "x" }, headers: { origin: "https://evil.example" } });
  expect(signOut.status()).toBe(403);
});

test("repeated wrong passwords get 429 with Retry-After, and the sign-in form says when to try again", async ({ page }) => {
  const account = newAccount("Locked");
  await signUp(page, account);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();

  // Wrong passwords from this browser (so from the address the owner uses below): five are
  // checked, then each further one waits for the time the last refusal named (the server's
  // Retry-After), until the wait is long enough for the owner's attempt to land in it.
  await page.goto("/signin");
  const attempts = await page.evaluate(async (email) => {
    const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const out: { status: number; retryAfter: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch("/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email, password: `wrong ${i}`, csrfToken, json: "true" }),
      });
      const retryAfter = Number(res.headers.get("retry-after") ?? 0);
      out.push({ status: res.status, retryAfter });
      if (res.status !== 429) continue;
      if (retryAfter >= 8) break;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
    return out;
  }, account.email);
  expect(attempts.slice(0, 6).map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
  expect(attempts.filter((a) => a.status === 429).every((a) => a.retryAfter > 0)).toBe(true);
  expect(attempts[attempts.length - 1]).toMatchObject({ status: 429 });

  // The owner at this address is told how long to wait; once it has passed, the right password works.
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator(".alert.error")).toContainText(/Too many failed sign-ins to this account from here\. Try again in \d+ s/);
  await expect(async () => {
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText(account.name, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
});

test("a large public trace downloads as JSONL, every event, while health checks keep answering", async ({ page, playwright, baseURL }) => {
  test.setTimeout(240_000);
  await signUp(page, newAccount("Tracer"));
  const source = [
    "version: 1",
    "name: a big closed loop",
    "until: 1000m",
    "maxEvents: 150000",
    `nodes: [${Array.from({ length: 30 }, (_, i) => `{ id: N${i} }`).join(", ")}]`,
    "network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }",
    "protocol: { kind: request-response, client: { timeout: 50ms, retries: 3 } }",
    "workload: [{ clients: all, target: random, outstanding: 1, op: read, key: k }]",
    "",
  ].join("\n");
  const call = async (path: string, input: unknown) => {
    const res = await page.request.post(`/api/trpc/${path}`, { data: input });
    expect(res.ok(), await res.text()).toBe(true);
    return ((await res.json()) as { result: { data: Record<string, unknown> } }).result.data;
  };
  const { id: scenarioId } = (await call("scenario.create", { source })) as { id: string };
  const { id: runId } = (await call("run.create", { scenarioId })) as { id: string };
  await call("run.setVisibility", { id: runId, visibility: "public" });
  await expect
    .poll(async () => {
      const res = await page.request.get(`/api/trpc/run.status?input=${encodeURIComponent(JSON.stringify({ id: runId }))}`);
      return ((await res.json()) as { result: { data: { status: string } } }).result.data.status;
    }, { timeout: 180_000 })
    .toBe("done");

  const anonymous = await playwright.request.newContext({ baseURL });
  const healthMs: number[] = [];
  let downloading = true;
  const health = (async () => {
    while (downloading) {
      const t0 = performance.now();
      expect((await fetch(`${baseURL}/api/health`)).ok).toBe(true);
      healthMs.push(performance.now() - t0);
    }
  })();
  const res = await anonymous.get(`/api/runs/${runId}/trace?format=jsonl`);
  downloading = false;
  await health;
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/x-ndjson");
  const lines = (await res.text()).trimEnd().split("\n");
  const view = (await (await anonymous.get(`/api/trpc/run.byId?input=${encodeURIComponent(JSON.stringify({ id: runId }))}`)).json()) as { result: { data: { summary: { traceEvents: number } } } };
  expect(lines.length).toBeGreaterThan(100_000);
  expect(lines.length).toBe(view.result.data.summary.traceEvents);
  expect(JSON.parse(lines[0]!)).toMatchObject({ index: 0 });
  expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ index: lines.length - 1 });
  expect(healthMs.length).toBeGreaterThan(0);
  // Health checks were answered while it ran (how fast depends on the machine's load: printed, not asserted).
  expect(healthMs.length).toBeGreaterThan(0);
  console.log(`health checks meanwhile: max ${Math.max(...healthMs).toFixed(0)} ms over ${healthMs.length}`);
  await anonymous.dispose();
});
