// Steps many browser tests share: make an account and sign in, through the real pages.
import { expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";

export interface Account {
  name: string;
  email: string;
  password: string;
}

export function newAccount(name: string): Account {
  return { name, email: `${name.toLowerCase().replace(/\W+/g, "")}-${randomBytes(4).toString("hex")}@e2e.faultline`, password: "pa55word-e2e" };
}

export async function signUp(page: Page, account: Account): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(account.name);
}

export async function signIn(page: Page, account: Account): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(account.name);
}

/** Creates a scenario from a template through the New scenario page and waits for its page. */
export async function scenarioFromTemplate(page: Page, templateId: string): Promise<string> {
  await page.goto("/scenarios/new");
  await page.getByTestId(`template-${templateId}`).getByRole("button", { name: "Use" }).click();
  await page.waitForURL((url) => /^\/scenarios\/[a-z0-9]+$/.test(url.pathname) && !url.pathname.endsWith("/new"));
  await expect(page.getByTestId("scenario-name")).toBeVisible();
  return page.url();
}

/** Presses Run on a scenario page and waits for the run to finish. */
export async function runAndWait(page: Page, seed?: number): Promise<string> {
  if (seed !== undefined) await page.getByLabel(/^Seed/).fill(String(seed));
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.waitForURL(/\/runs\/[a-z0-9]+/);
  await expect(page.getByTestId("verdict-badge")).toBeVisible({ timeout: 60_000 });
  return page.url();
}

/** Replaces the whole text of the scenario editor (CodeMirror) as a user would: select all, type. */
export async function replaceEditorText(page: Page, text: string): Promise<void> {
  const editor = page.getByTestId("scenario-editor");
  await expect(editor).toBeEditable();
  await expect(async () => {
    await editor.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.insertText(text);
    expect(normalize(await editor.innerText())).toBe(normalize(text));
  }).toPass({ timeout: 15_000 });
}

/** The editor's current text. */
export async function editorText(page: Page): Promise<string> {
  const editor = page.getByTestId("scenario-editor");
  await expect(editor).toBeEditable();
  return editor.innerText();
}

function normalize(s: string): string {
  return s.replace(/\u00a0/g, " ").replace(/\s+$/g, "");
}

/** Presses Run sweep on a scenario page with `seeds` seeds and waits for the sweep to finish. */
export async function runSweepAndWait(page: Page, seeds: number): Promise<string> {
  await page.getByLabel(/^Sweep: seeds/).fill(String(seeds));
  await page.getByRole("button", { name: "Run sweep" }).click();
  await page.waitForURL(/\/runs\/[a-z0-9]+/);
  await expect(page.getByTestId("verdict-badge")).toBeVisible({ timeout: 90_000 });
  return page.url();
}

/** Replaces the scenario's text in the editor and saves it as the next version. */
export async function saveNewVersion(page: Page, text: string, version: number): Promise<void> {
  await replaceEditorText(page, text);
  await page.getByRole("button", { name: new RegExp(`Save as version ${version}`) }).click();
  await expect(page.getByText(`Version ${version} of ${version}`)).toBeVisible();
}
