// Courses end to end, with a browser context per person: an instructor creates a course with a
// break-it, a fix-it and an overdue assignment; a student joins with the code, submits a failing
// then a passing attempt and sees the grades live, and a late one with its penalty; the instructor
// reads the gradebook and downloads its CSV; a second student cannot see the first one's work.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { editorText, newAccount, replaceEditorText, signUp } from "./helpers";

const DROP_RESPONSE = "faults:\n  - { kind: drop, match: { from: C2, to: C1, type: response, nth: 1 } }";

async function createAssignment(page: Page, courseUrl: string, title: string, opts: { kind?: "fix-it"; daysAgo?: number } = {}): Promise<string> {
  await page.goto(courseUrl);
  await page.getByRole("link", { name: "New assignment" }).click();
  await expect(page.getByTestId("assignment-form")).toBeVisible();
  if (opts.kind) await page.getByLabel("Kind").selectOption(opts.kind);
  await page.getByLabel("Title").fill(title);
  if (opts.daysAgo !== undefined) {
    const daysAgo = opts.daysAgo;
    // A datetime-local value is in the browser's own time zone.
    const local = await page.evaluate((days) => {
      const d = new Date(Date.now() - days * 86_400_000);
      return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    }, daysAgo);
    await page.getByLabel(/^Deadline/).fill(local);
  }
  await page.getByRole("button", { name: "Create assignment" }).click();
  await page.waitForURL(/\/courses\/assignments\/[a-z0-9]+$/);
  await expect(page.getByTestId("assignment-title")).toHaveText(title);
  return page.url();
}

/** From an assignment page: Start, edit the working copy, save, submit; returns the submission page's URL. */
async function startEditSubmit(page: Page, assignmentUrl: string, edit: ((source: string) => string) | null): Promise<string> {
  await page.goto(assignmentUrl);
  await page.getByRole("button", { name: "Start" }).click();
  await page.waitForURL(/\/scenarios\/[a-z0-9]+/);
  await expect(page.getByTestId("submit-panel")).toBeVisible();
  if (edit) {
    const source = await editorText(page);
    await replaceEditorText(page, edit(source));
    await page.getByRole("button", { name: /Save as version/ }).click();
    await expect(page.getByText(/Saved\./)).toBeVisible();
  }
  await page.getByRole("button", { name: /^Submit v\d+ to / }).click();
  await page.waitForURL(/\/courses\/submissions\/[a-z0-9]+$/);
  // Acknowledged at once, with the time it was stored.
  await expect(page.getByTestId("submitted-at")).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/);
  return page.url();
}

test("courses: create, join, submit, grade live, late penalty, gradebook and CSV, privacy between students", async ({ browser }) => {
  test.setTimeout(300_000);
  const instructorCtx = await browser.newContext();
  const studentCtx = await browser.newContext();
  const otherCtx = await browser.newContext();
  const teacher = await instructorCtx.newPage();
  const ada = await studentCtx.newPage();
  const eve = await otherCtx.newPage();
  const instructor = newAccount("Ines Instructor");
  const student = newAccount("Ada Student");
  const other = newAccount("Eve Student");

  // The instructor makes a course and three assignments.
  await signUp(teacher, instructor);
  await teacher.getByRole("banner").getByRole("link", { name: "Courses" }).click();
  await teacher.getByLabel("Course title").fill("E2E Distributed Systems");
  await teacher.getByRole("button", { name: "Create course" }).click();
  await expect(teacher.getByTestId("course-title")).toHaveText("E2E Distributed Systems");
  const courseUrl = teacher.url();
  const joinCode = await teacher.getByTestId("join-code").inputValue();
  expect(joinCode).toMatch(/^[A-Z0-9]{8}$/);
  const joinLink = await teacher.getByTestId("join-link").inputValue();
  const breakUrl = await createAssignment(teacher, courseUrl, "Break the journal");
  const fixUrl = await createAssignment(teacher, courseUrl, "Fix the lossy network", { kind: "fix-it" });
  const lateUrl = await createAssignment(teacher, courseUrl, "Overdue break", { daysAgo: 1.5 });
  // Students see hidden tests only as a count and points; staff see the hidden scenario.
  await teacher.goto(fixUrl);
  await expect(teacher.getByTestId("staff-tests")).toContainText("Hidden lossy network");

  // A student joins with the code and sees the assignments with their deadlines.
  await signUp(ada, student);
  await ada.goto("/courses");
  await ada.getByLabel(/^Join code/).fill(joinCode.toLowerCase());
  await ada.getByRole("button", { name: "Join" }).click();
  await expect(ada.getByTestId("course-title")).toHaveText("E2E Distributed Systems");
  await expect(ada.getByTestId("assignments-table")).toContainText("Break the journal");
  await expect(ada.getByTestId("assignments-table")).toContainText("Fix the lossy network");
  await expect(ada.getByTestId("staff-panel")).toHaveCount(0);
  await ada.goto(fixUrl);
  await expect(ada.getByTestId("hidden-tests")).toContainText("1 hidden test");
  await expect(ada.locator("body")).not.toContainText("Hidden lossy network");

  // Break it: the starter as it is keeps at-most-once (0 points); a lost response breaks it.
  const failing = await startEditSubmit(ada, breakUrl, null);
  await expect(ada.getByTestId("score")).toHaveText("0 / 10", { timeout: 60_000 });
  await expect(ada.getByTestId("visible-test")).toContainText("✗ failed");
  await expect(ada.getByTestId("hidden-result")).toContainText("0 of 1");
  const passing = await startEditSubmit(ada, breakUrl, (s) => s.replace("faults: []", DROP_RESPONSE));
  expect(passing).not.toBe(failing);
  await expect(ada.getByTestId("score")).toHaveText("10 / 10", { timeout: 60_000 });
  await expect(ada.getByTestId("visible-test")).toContainText("✓ passed");
  await expect(ada.getByTestId("hidden-result")).toContainText("1 of 1");
  await expect(ada.getByTestId("late-flag")).toHaveCount(0);
  const gradingRunHref = await ada.getByTestId("grading-runs").getByRole("link").first().getAttribute("href");
  expect(gradingRunHref).toMatch(/^\/runs\/[a-z0-9]+$/);
  await ada.goto(breakUrl);
  await expect(ada.getByTestId("my-submissions").locator("tbody tr")).toHaveCount(2);

  // A rule broken is said as she types, with the field's path (only faults may change), and
  // the saved version cannot be submitted (the server refuses it too: tests/integration).
  await ada.goto(breakUrl);
  await ada.getByRole("button", { name: "Start" }).click();
  await ada.waitForURL(/\/scenarios\/[a-z0-9]+/);
  await expect(ada.getByTestId("assignment-rules")).toHaveCount(0);
  await replaceEditorText(ada, (await editorText(ada)).replace("dedupe: false", "dedupe: true"));
  await expect(ada.getByTestId("assignment-rules")).toContainText("This text breaks the assignment's rules");
  await expect(ada.getByTestId("assignment-rules")).toContainText("protocol.server.dedupe: differs from the starter");
  await ada.getByRole("button", { name: /Save as version/ }).click();
  await expect(ada.getByText(/Saved\./)).toBeVisible();
  await expect(ada.getByTestId("assignment-rules")).toContainText("This version breaks the assignment's rules");
  await expect(ada.getByRole("button", { name: /^Submit v\d+ to / })).toBeDisabled();

  // Fix it: enough retries under 20% loss.
  await startEditSubmit(ada, fixUrl, (s) => s.replace("retries: 0", "retries: 8"));
  await expect(ada.getByTestId("score")).toHaveText("10 / 10", { timeout: 90_000 });
  await expect(ada.getByTestId("hidden-result")).toContainText("1 of 1");

  // Late: 1.5 days after the deadline is 2 started days at 10% each.
  await startEditSubmit(ada, lateUrl, (s) => s.replace("faults: []", DROP_RESPONSE));
  await expect(ada.getByTestId("late-flag")).toHaveText("2 days late: −20%");
  await expect(ada.getByTestId("score")).toHaveText("8 / 10", { timeout: 60_000 });

  // A second student joins by the link and cannot see the first one's work.
  await signUp(eve, other);
  await eve.goto(joinLink);
  // The link shows which course it is; joining takes a click.
  await expect(eve.getByTestId("join-course-title")).toHaveText("E2E Distributed Systems");
  await eve.getByRole("button", { name: "Join" }).click();
  await expect(eve.getByTestId("course-title")).toHaveText("E2E Distributed Systems");
  for (const url of [passing, gradingRunHref!]) {
    const res = await eve.goto(url);
    expect(res?.status()).toBe(404);
    await expect(eve.locator("body")).not.toContainText("Ada Student");
  }
  await eve.goto(`${breakUrl}/gradebook`);
  await expect(eve.locator("body")).toContainText("Only the course's instructors and TAs see the gradebook.");
  const csvForEve = await eve.request.get(`/api/courses/assignments/${breakUrl.split("/").pop()}/gradebook`);
  expect(csvForEve.status()).toBe(403);

  // The instructor reads the gradebook, opens the submission and its run, and downloads the CSV.
  await teacher.goto(`${breakUrl}/gradebook`);
  const row = teacher.getByTestId(`gradebook-row-${student.email}`);
  await expect(row).toContainText("10 / 10");
  await expect(row).toContainText("2");
  await expect(teacher.getByTestId(`gradebook-row-${other.email}`)).toContainText("none");
  await teacher.getByRole("tab", { name: "Best submission" }).click();
  await expect(teacher.getByTestId(`gradebook-row-${student.email}`)).toContainText("10 / 10");
  const downloading = teacher.waitForEvent("download");
  await teacher.getByTestId("download-csv").click();
  const download = await downloading;
  const csv = readFileSync((await download.path())!, "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toBe("Email,Name,Score,Submitted at");
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${student.email.replace(/[.+]/g, "\\$&")},Ada Student,10,\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$`)));
  expect(lines).toContain(`${other.email},Eve Student,,`);
  expect(lines).toHaveLength(3);
  await row.getByRole("link", { name: "Open" }).click();
  await expect(teacher.getByRole("heading", { name: "Submission by Ada Student" })).toBeVisible();
  await expect(teacher.getByTestId("all-tests")).toContainText("at-most-once fails on seeds 1 to 20");
  await teacher.goto(gradingRunHref!);
  await expect(teacher.getByTestId("run-title")).toBeVisible();

  // The late assignment's gradebook carries the penalty.
  await teacher.goto(`${lateUrl}/gradebook`);
  await expect(teacher.getByTestId(`gradebook-row-${student.email}`)).toContainText("8 / 10");
  await expect(teacher.getByTestId(`gradebook-row-${student.email}`)).toContainText("−20%");

  await Promise.all([instructorCtx.close(), studentCtx.close(), otherCtx.close()]);
});
