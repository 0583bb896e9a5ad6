// Everyday use (issue 12), at desktop (1280) and phone (390) widths: every main page fits the
// screen and its menu is reachable, the form editor covers the format and checks as you type, the
// bugs a new user met stay fixed, dark mode, and the main flows by keyboard alone.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { editorText, replaceEditorText, runAndWait, runSweepAndWait, scenarioFromTemplate, signIn } from "./helpers";

const STUDENT = { name: "Sam Student", email: "student@faultline.dev", password: "faultline-demo" };
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800, phone: false },
  { name: "phone", width: 390, height: 844, phone: true },
] as const;

interface Places {
  scenario: string;
  run: string;
  runB: string;
  sweep: string;
  course: string;
  assignment: string;
  submission: string;
  storage: Awaited<ReturnType<import("@playwright/test").BrowserContext["storageState"]>>;
}

let places: Places | null = null;
/** A long line in the submitted scenario: it must wrap, not be clipped. */
const LONG_COMMENT = `# ${"a-very-long-comment-without-spaces-".repeat(6)}END-OF-THE-LONG-LINE`;

async function setUp(browser: Browser): Promise<Places> {
  if (places) return places;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, STUDENT);
  // The demo course, its first assignment, and a submission with a long line.
  await page.goto("/courses");
  await page.locator('main a[href^="/courses/"]').first().click();
  await page.waitForURL(/\/courses\/[a-z0-9]+$/);
  const course = page.url();
  await page.locator('main a[href^="/courses/assignments/"]').first().click();
  await page.waitForURL(/\/courses\/assignments\/[a-z0-9]+$/);
  const assignment = page.url();
  await page.getByRole("button", { name: /^(Start|Open my copy|Continue)/ }).first().click();
  await page.waitForURL(/\/scenarios\/[a-z0-9]+/);
  await expect(page.getByTestId("submit-panel")).toBeVisible();
  // A comment line at the top (a break-it assignment allows any change of text outside its fields).
  const editor = page.getByTestId("scenario-editor");
  await expect(editor).toBeEditable();
  await editor.click();
  await page.keyboard.press("ControlOrMeta+Home");
  await page.keyboard.insertText(`${LONG_COMMENT}\n`);
  await expect(editor).toContainText("END-OF-THE-LONG-LINE");
  await page.getByRole("button", { name: /Save as version/ }).click();
  await expect(page.getByText(/Saved\./)).toBeVisible();
  await page.getByRole("button", { name: /^Submit v\d+ to / }).click();
  await page.waitForURL(/\/courses\/submissions\/[a-z0-9]+$/);
  const submission = page.url();

  // Request slow: at-most-once fails, so its check row has a message to read.
  const scenario = await scenarioFromTemplate(page, "request-slow");
  const run = await runAndWait(page, 1);
  await page.goto(scenario);
  const runB = await runAndWait(page, 2);
  await page.goto(scenario);
  const sweep = await runSweepAndWait(page, 10);
  places = { scenario, run, runB, sweep, course, assignment, submission, storage: await context.storageState() };
  await context.close();
  return places;
}

/** Elements that reach past the right edge of the screen, and how far the page scrolls sideways. */
async function overflow(page: Page): Promise<{ scroll: number; offenders: string[] }> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const offenders: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const r = el.getBoundingClientRect();
      // Inside a box that scrolls or clips (a wide table in its .table-wrap) is fine: the page does not move.
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") clipped = true;
      }
      if (!clipped && r.width > 0 && r.right > width + 1) {
        // Report the outermost offenders only (their children overflow with them).
        if (el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1) continue;
        offenders.push(`${el.tagName.toLowerCase()}.${el.className}#${el.id} right=${Math.round(r.right)}`);
      }
    }
    return { scroll: document.documentElement.scrollWidth - width, offenders: offenders.slice(0, 5) };
  });
}

async function openMenuIfPhone(page: Page, phone: boolean): Promise<void> {
  const toggle = page.getByRole("button", { name: "Menu" });
  if (phone) {
    await expect(toggle).toBeVisible();
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
  } else {
    await expect(toggle).toBeHidden();
  }
}

for (const vp of VIEWPORTS) {
  test.describe(`${vp.name} (${vp.width} px)`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test("every main page fits the screen, and the menu reaches the others", async ({ browser }) => {
      const p = await setUp(browser);
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, storageState: p.storage });
      const page = await context.newPage();
      const notFound: string[] = [];
      page.on("response", (r) => {
        if (r.status() === 404 && !r.url().includes("/compare")) notFound.push(r.url());
      });
      const pages: [string, string, (page: Page) => Promise<void>][] = [
        ["home", "/", async () => {}],
        ["gallery", "/gallery", async () => {}],
        ["templates", "/templates", async () => {}],
        ["new scenario", "/scenarios/new", async (pg) => void (await expect(pg.getByTestId("template-request-lost")).toBeVisible())],
        ["my scenarios", "/scenarios", async () => {}],
        ["scenario editor", p.scenario, async (pg) => void (await expect(pg.getByTestId("scenario-editor")).toBeEditable())],
        ["run", p.run, async (pg) => void (await expect(pg.getByTestId("verdict-badge")).toBeVisible())],
        ["sweep", p.sweep, async (pg) => void (await expect(pg.getByTestId("verdict-badge")).toBeVisible())],
        ["compare", `/compare?a=${p.run.split("/").pop()}&b=${p.runB.split("/").pop()}`, async (pg) => void (await expect(pg.getByTestId("compare")).toBeVisible())],
        ["my runs", "/runs", async () => {}],
        ["courses", "/courses", async () => {}],
        ["course", p.course, async () => {}],
        ["assignment", p.assignment, async () => {}],
        ["submission", p.submission, async (pg) => void (await expect(pg.getByTestId("submitted-source")).toBeVisible())],
        ["format reference", "/help/format", async (pg) => void (await expect(pg.getByTestId("format-reference")).toBeVisible())],
      ];
      for (const [name, url, ready] of pages) {
        await page.goto(url);
        await ready(page);
        await expect.soft.poll(async () => overflow(page), { message: `${name} (${url}) is wider than the screen`, timeout: 5000 }).toEqual({ scroll: 0, offenders: [] });
      }

      // The run page's check rows stay readable: the message gets the row's width, not 50 px.
      await page.goto(p.run);
      const why = page.getByTestId("verdicts").locator(".why").first();
      await expect(why).toBeVisible();
      expect((await why.boundingBox())!.width).toBeGreaterThan(vp.phone ? 250 : 300);

      // The menu: behind a button on phones, a row on desktops; either way it leads to every page.
      for (const [link, path] of [["Runs", "/runs"], ["Courses", "/courses"], ["Format", "/help/format"]] as const) {
        await openMenuIfPhone(page, vp.phone);
        const a = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link });
        await expect(a).toBeInViewport();
        await a.click();
        await page.waitForURL((u) => u.pathname === path);
        if (vp.phone) await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
      }
      // Favicon and every other resource: no 404 on any page.
      expect(await page.locator('link[rel="icon"]').count()).toBeGreaterThan(0);
      expect(notFound).toEqual([]);
      await context.close();

      // Signed out: the sign-in page fits too.
      const anon = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      const a = await anon.newPage();
      await a.goto("/signin");
      await expect(a.getByLabel("Email")).toBeVisible();
      await expect.poll(async () => overflow(a)).toEqual({ scroll: 0, offenders: [] });
      await openMenuIfPhone(a, vp.phone);
      await expect(a.getByRole("link", { name: "Create account" })).toBeInViewport();
      await anon.close();
    });

    test("the form editor covers the format, checks as you type and writes the same YAML", async ({ page }) => {
      await signIn(page, STUDENT);
      await scenarioFromTemplate(page, "request-lost");
      await page.getByRole("tab", { name: "Form" }).click();
      const form = page.getByTestId("scenario-form");

      // Nodes, the workload and the template's fault are fields, not YAML strings.
      await expect(form.locator("#f-nodes\\[1\\]\\.id")).toHaveValue("C2");
      await expect(form.locator("#f-workload\\[0\\]\\.client")).toHaveValue("C1");
      await expect(form.locator("#f-faults\\[0\\]\\.match\\.nth")).toHaveValue("1");

      // until: 0s is refused at the field while typing, before anything is saved.
      const until = form.getByLabel(/^Stop at/);
      await until.fill("0s");
      await expect(form.getByText("until: until must be more than 0s")).toBeVisible();
      await expect(until).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByTestId("validity")).toHaveText(/✗ 1 problem/);
      await until.fill("5s");
      await expect(page.getByTestId("validity")).toHaveText("✓ valid scenario");

      // A crash fault, its node typed wrong then right; a partition's groups; a link; a latency bound.
      await form.getByLabel("Add a fault").selectOption("crash");
      const node = form.locator("#f-faults\\[1\\]\\.node");
      await node.fill("C9");
      await expect(form.getByText(/faults\[1\]\.node: unknown node "C9"/)).toBeVisible();
      await node.fill("C2");
      await form.locator("#f-faults\\[1\\]\\.restart").fill("300ms");
      await form.getByLabel("Add a fault").selectOption("partition");
      await expect(form.locator("#f-faults\\[2\\]\\.groups")).toHaveValue("C1 / C2");
      await form.getByLabel("Add a link override").selectOption({ index: 1 });
      await form.locator("#f-network\\.links\\[0\\]\\.loss").fill("0.2");
      await form.getByLabel("Add a check").selectOption("latency");
      await form.locator("#f-checks\\[2\\]\\.latency\\.p99").fill("300ms");
      await form.getByLabel("Add a workload entry").selectOption({ index: 2 });
      await expect(form.locator("#f-workload\\[1\\]\\.outstanding")).toHaveValue("1");
      await form.getByLabel("Remove workload 2").click();
      // A form full of entries still fits the screen.
      await expect.poll(async () => overflow(page)).toEqual({ scroll: 0, offenders: [] });
      // all-complete is already listed by the template: it is not offered twice.
      await expect(form.getByLabel("Add a check").locator("option", { hasText: "all-complete" })).toHaveCount(0);
      await expect(page.getByTestId("validity")).toHaveText("✓ valid scenario");

      await page.getByRole("tab", { name: "Text" }).click();
      const text = await editorText(page);
      expect(text).toContain("until: 5s");
      expect(text).toMatch(/\{ kind: crash, node: C2, at: 50ms, restart: 300ms \}/);
      expect(text).toMatch(/\{ kind: partition, groups: \[ \[ C1 \], \[ C2 \] \]/);
      expect(text).toMatch(/links:.*\n?.*loss: 0\.2/);
      expect(text).toContain("latency: { p99: 300ms }");
      expect(text).toContain("# Lose the first request C1 sends to C2.");

      // And back: a change in the text shows in the form.
      await replaceEditorText(page, text.replace("restart: 300ms", "restart: 700ms"));
      await page.getByRole("tab", { name: "Form" }).click();
      await expect(form.locator("#f-faults\\[1\\]\\.restart")).toHaveValue("700ms");
    });

    test("a missing { gives one clear problem; a page past the end says so; bad compare ids are 404", async ({ page }) => {
      await signIn(page, STUDENT);
      await scenarioFromTemplate(page, "request-lost");
      const text = await editorText(page);
      await replaceEditorText(page, text.replace("- { id: C2, role: server }", "- id: C2, role: server }"));
      const problems = page.getByTestId("problems").locator("li");
      await expect(problems).toHaveCount(1);
      await expect(problems.first()).toContainText("closes a `{` that was never opened: is a `{` missing earlier on this line?");

      await page.goto("/runs?page=999");
      await expect(page.getByTestId("no-such-page")).toContainText("There is no page 999");
      await expect(page.getByText("No runs yet")).toHaveCount(0);
      await expect(page.getByText(/Page 999 of/)).toHaveCount(0);
      await page.getByRole("link", { name: /Go to page \d+/ }).click();
      await expect(page.locator("table.table tbody tr").first()).toBeVisible();

      const res = await page.goto("/compare?a=nosuchrun&b=nosuchrunb");
      expect(res?.status()).toBe(404);
      await expect(page.getByTestId("compare-problem")).toContainText("A run to compare was not found");
    });

    test("what a run's numbers mean: the latency check says what it measured; steps and events have their own words", async ({ page }) => {
      await signIn(page, STUDENT);
      await scenarioFromTemplate(page, "request-lost");
      const lossy = `version: 1
name: latency over answered requests
until: 10s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network: { latency: 10ms, loss: 0.6 }
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 0 }
workload:
  - { client: C1, server: C2, op: read, key: k, count: 50, interval: 10ms }
checks:
  - { latency: { p99: 1s } }
`;
      await replaceEditorText(page, lossy);
      await page.getByRole("button", { name: /Save as version 2/ }).click();
      await expect(page.getByText("Version 2 of 2")).toBeVisible();
      await runAndWait(page, 3);
      const row = page.getByTestId("check-latency");
      await expect(row).toContainText("✓ holds");
      await expect(row.getByTestId("check-note")).toHaveText(/^Measured over the \d+ requests that were answered; \d+ of 50 requests failed and have no latency, so they cannot break this bound\./);
      const metrics = page.getByTestId("metrics");
      await expect(metrics).toContainText(/[\d,]+ events recorded \(the diagram's\), [\d,]+ simulator steps/);
      await expect(metrics.locator(".metric[title]").last()).toHaveAttribute("title", /A simulator step is one thing the simulator processed/);
    });

    test("the format reference links pages of the app, a submitted long line wraps", async ({ browser }) => {
      const p = await setUp(browser);
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, storageState: p.storage });
      const page = await context.newPage();
      await page.goto("/help/format");
      const ref = page.getByTestId("format-reference");
      await expect(ref).toBeVisible();
      await expect(ref).not.toContainText("../shared");
      await expect(ref).not.toContainText(".yaml`");
      const hrefs = await ref.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
      expect(hrefs.filter((h) => /shared\/|\.ya?ml$|^docs\//.test(h))).toEqual([]);
      await ref.getByRole("link", { name: "request lost" }).click();
      await page.waitForURL(/\/templates#template-request-lost$/);
      await expect(page.getByTestId("template-request-lost")).toBeInViewport();

      await page.goto(p.submission);
      const source = page.getByTestId("submitted-source");
      await expect(source).toContainText("END-OF-THE-LONG-LINE");
      const fits = await source.evaluate((el) => el.scrollWidth <= el.clientWidth);
      expect(fits).toBe(true);
      await context.close();
    });

    test("dark mode follows the system and the toggle, and sign-out stays on the address in use", async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, colorScheme: "dark", baseURL: test.info().project.use.baseURL?.replace("localhost", "127.0.0.1") });
      const page = await context.newPage();
      const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.goto("/");
      expect(page.url()).toContain("127.0.0.1");
      await expect.poll(bg).toBe("rgb(14, 19, 28)");
      await openMenuIfPhone(page, vp.phone);
      await page.getByTestId("theme-toggle").click();
      await expect.poll(bg).toBe("rgb(246, 247, 249)");
      await page.reload();
      await expect.poll(bg).toBe("rgb(246, 247, 249)");
      await openMenuIfPhone(page, vp.phone);
      await expect(page.getByTestId("theme-toggle")).toHaveAttribute("aria-pressed", "false");
      await page.getByTestId("theme-toggle").click();
      await expect.poll(bg).toBe("rgb(14, 19, 28)");
      // Back on the system's theme the choice is forgotten: the page follows the system again.
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? "system")).toBe("system");
      expect((await context.cookies()).some((c) => c.name === "faultline-theme")).toBe(false);
      await page.reload();
      await expect.poll(bg).toBe("rgb(14, 19, 28)");

      // Opened at 127.0.0.1 (NEXTAUTH_URL says localhost): signing out stays at 127.0.0.1.
      await signIn(page, STUDENT);
      await openMenuIfPhone(page, vp.phone);
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
      await expect(page.locator("#site-menu").getByRole("link", { name: "Sign in", includeHidden: true })).toBeAttached();
      expect(new URL(page.url()).hostname).toBe("127.0.0.1");
      expect(new URL(page.url()).pathname).toBe("/");
      await context.close();
    });

    test("keyboard only: sign in, new scenario, run, see the result, share", async ({ page }) => {
      /** Presses Tab until the focused element matches, as a keyboard user would. */
      const tabTo = async (matches: (el: { tag: string; name: string; role: string | null }) => boolean, what: string) => {
        for (let i = 0; i < 120; i++) {
          await page.keyboard.press("Tab");
          const el = await page.evaluate(() => {
            const a = document.activeElement as HTMLElement | null;
            if (!a) return { tag: "", name: "", role: null };
            const label = a.id ? document.querySelector(`label[for="${a.id}"]`)?.textContent ?? "" : "";
            const wrapping = a.closest("label")?.textContent ?? "";
            return { tag: a.tagName.toLowerCase(), name: (a.getAttribute("aria-label") || label || wrapping || a.textContent || "").trim(), role: a.getAttribute("role") };
          });
          if (matches(el)) return;
        }
        throw new Error(`Tab never reached ${what}`);
      };
      await page.goto("/signin");
      await tabTo((e) => e.tag === "input" && e.name === "Email", "the email field");
      await page.keyboard.type(STUDENT.email);
      await page.keyboard.press("Tab");
      await page.keyboard.type(STUDENT.password);
      await page.keyboard.press("Enter");
      await expect(page.getByTestId("signed-in-as")).toHaveText(STUDENT.name);

      await page.goto("/scenarios/new");
      await expect(page.getByTestId("template-request-lost")).toBeVisible();
      await tabTo((e) => e.tag === "button" && e.name === "Use", "the first template's Use button");
      await page.keyboard.press("Enter");
      await page.waitForURL((u) => /^\/scenarios\/[a-z0-9]+$/.test(u.pathname) && !u.pathname.endsWith("/new"));
      await expect(page.getByTestId("scenario-name")).toBeVisible();
      await tabTo((e) => e.tag === "button" && e.name === "Run", "Run");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/runs\/[a-z0-9]+/);
      await expect(page.getByTestId("verdict-badge")).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId("verdicts")).toContainText("holds");

      // The result by keyboard: step through the events.
      await tabTo((e) => e.tag === "button" && e.name === "Next event", "Next event");
      await page.keyboard.press("Enter");
      await expect(page.getByTestId("selected-event")).toHaveText(/^#0 /);
      await page.keyboard.press("Enter");
      await expect(page.getByTestId("selected-event")).toHaveText(/^#1 /);

      // Share: the visibility radios take the arrow keys; unlisted gives a link to copy.
      await tabTo((e) => e.tag === "input" && /^private/.test(e.name), "the visibility options");
      await page.keyboard.press("ArrowDown");
      await expect(page.getByTestId("share-status")).toHaveText("Saved.");
      await expect(page.getByTestId("share-link")).toHaveValue(/\/runs\/[a-z0-9]+\?key=/);
    });
  });
}
