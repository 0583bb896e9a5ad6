// The service end to end, as a new user meets it: sign up, create a scenario from the
// "request lost" template, see the editor point at a mistake, run it, watch the run
// finish with its verdicts, and sign out.
import { expect, test } from "@playwright/test";
import { editorText, newAccount, replaceEditorText, runAndWait, scenarioFromTemplate, signUp } from "./helpers";

test("sign up, create from the request-lost template, run it and see the verdicts", async ({ page }) => {
  const account = newAccount("Ada");
  await signUp(page, account);

  await scenarioFromTemplate(page, "request-lost");
  await expect(page.getByTestId("scenario-name")).toHaveText("Request lost");
  await expect(page.getByTestId("validity")).toHaveText("✓ valid scenario");

  await runAndWait(page);
  await expect(page.getByTestId("verdict-badge")).toHaveText("✓ all checks hold");
  await expect(page.getByTestId("check-all-complete")).toContainText("✓ holds");
  await expect(page.getByTestId("check-at-most-once")).toContainText("✓ holds");
  // The spec's own arithmetic: one request, lost once, answered at 121 ms.
  await expect(page.getByTestId("metrics")).toContainText("1 / 1");
  await expect(page.getByTestId("metrics")).toContainText("121 ms");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/scenarios");
  await expect(page).toHaveURL(/\/signin/);
});

test("the text editor shows a problem at its field as you type, and saving makes a new version", async ({ page }) => {
  await signUp(page, newAccount("Grace"));
  await scenarioFromTemplate(page, "request-lost");
  // Point the fault at a node that does not exist.
  const source = await editorText(page);
  await replaceEditorText(page, source.replace("to: C2, type: request", "to: C9, type: request"));
  await expect(page.getByTestId("validity")).toHaveText(/✗ 1 problem/);
  await expect(page.getByTestId("problems")).toContainText("faults[0].match.to");
  await expect(page.getByTestId("problems")).toContainText("C9");
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(1);
  await expect(page.getByRole("button", { name: /Save as version 2/ })).toBeDisabled();

  await replaceEditorText(page, source.replace("retries: 2", "retries: 3"));
  await expect(page.getByTestId("validity")).toHaveText("✓ valid scenario");
  await page.getByRole("button", { name: /Save as version 2/ }).click();
  await expect(page.getByText("Version 2 of 2")).toBeVisible();
  await expect(page.getByRole("link", { name: "v1" })).toBeVisible();
});

test("the form edits the same document as the text, and shows problems at the field", async ({ page }) => {
  await signUp(page, newAccount("Barbara"));
  await scenarioFromTemplate(page, "request-lost");
  await page.getByRole("tab", { name: "Form" }).click();
  const form = page.getByTestId("scenario-form");
  await form.getByLabel("Retries").fill("5");
  await form.getByLabel("Retries").press("Enter");
  await form.getByLabel("Loss probability").fill("2");
  await form.getByLabel("Loss probability").press("Enter");
  await expect(form.getByText(/network\.loss:/)).toBeVisible();
  await expect(page.getByTestId("validity")).toHaveText(/✗ 1 problem/);
  await form.getByLabel("Loss probability").fill("0.1");
  await form.getByLabel("Loss probability").press("Enter");
  await expect(page.getByTestId("validity")).toHaveText("✓ valid scenario");
  await page.getByLabel("Add a fault").selectOption("crash");

  await page.getByRole("tab", { name: "Text" }).click();
  const text = await editorText(page);
  expect(text).toContain("retries: 5");
  expect(text).toContain("loss: 0.1");
  expect(text).toContain("kind: crash");
  // The template's comments survive form edits.
  expect(text).toContain("# Lose the first request C1 sends to C2.");
  await page.getByRole("button", { name: /Save as version 2/ }).click();
  await expect(page.getByText("Version 2 of 2")).toBeVisible();

  // The format reference is one click away from the editor.
  await page.goto("/help/format");
  await expect(page.getByRole("heading", { name: "Writing scenarios" })).toBeVisible();
  await expect(page.getByTestId("format-reference").getByRole("cell", { name: "maxEvents" })).toBeVisible();
});
