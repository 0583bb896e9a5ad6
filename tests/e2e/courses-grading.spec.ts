// Courses, issue 12, at a desktop and a phone width: an instructor drafts an implement-it
// assignment and previews it as a student; a student's working copy cannot be shared (the
// controls say why); a failing visible test opens its seed as a run with its diagram and witness;
// the grading run's page shows the grade; the course gradebook and its Canvas and Gradescope CSVs.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { newAccount, signUp } from "./helpers";

/** Reads a CSV (RFC 4180), line by line. */
function csvRows(csv: string): string[][] {
  return csv.trimEnd().split("\r\n").map((line) => {
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") {
        fields.push(field);
        field = "";
      } else field += ch;
    }
    fields.push(field);
    return fields;
  });
}

async function download(page: Page, testId: string): Promise<string> {
  const downloading = page.waitForEvent("download");
  await page.getByTestId(testId).click();
  return readFileSync((await (await downloading).path())!, "utf8");
}

for (const width of [1280, 390]) {
  test(`courses at ${width} px: preview, integrity, failing seed's run, grading run page, gradebook and LMS CSVs`, async ({ browser }) => {
    test.setTimeout(300_000);
    const viewport = { width, height: 900 };
    const teacherCtx = await browser.newContext({ viewport });
    const studentCtx = await browser.newContext({ viewport });
    const teacher = await teacherCtx.newPage();
    const ada = await studentCtx.newPage();
    const instructor = newAccount("Ines Instructor");
    const student = newAccount("Ada Student");

    // The instructor drafts an implement-it assignment (the form's example: a visible and a hidden test).
    await signUp(teacher, instructor);
    await teacher.goto("/courses");
    await teacher.getByLabel("Course title").fill(`Grading ${width}`);
    await teacher.getByRole("button", { name: "Create course" }).click();
    await expect(teacher.getByTestId("course-title")).toHaveText(`Grading ${width}`);
    const courseUrl = teacher.url();
    const joinCode = await teacher.getByTestId("join-code").inputValue();
    await teacher.getByRole("link", { name: "New assignment" }).click();
    await teacher.getByLabel("Kind").selectOption("implement-it");
    await teacher.getByLabel("Title").fill("Broadcast");
    // The starter and the tests are in the scenario editor, checked as you type.
    await expect(teacher.getByTestId("starter-editor")).toBeVisible();
    await expect(teacher.getByTestId("tests-editor")).toContainText("loss and a partition");
    await teacher.getByLabel(/Save as a draft/).check();
    await teacher.getByRole("button", { name: "Create assignment" }).click();
    await teacher.waitForURL(/\/courses\/assignments\/[a-z0-9]+$/);
    const assignmentUrl = teacher.url();
    await expect(teacher.getByTestId("draft-banner")).toContainText("Students do not see this assignment yet");

    // Preview as a student: the hidden test is a count, nothing staff-only shows.
    await teacher.getByTestId("preview-as-student").click();
    await expect(teacher.getByTestId("preview-banner")).toBeVisible();
    await expect(teacher.getByTestId("hidden-tests")).toContainText("1 hidden test");
    await expect(teacher.getByTestId("staff-tests")).toHaveCount(0);
    await expect(teacher.getByTestId("reference-check")).toHaveCount(0);
    await expect(teacher.locator("body")).not.toContainText("loss and a crash");
    await teacher.getByTestId("end-preview").click();
    await expect(teacher.getByTestId("staff-tests")).toContainText("loss and a crash");
    // Before publishing: check the tests against a reference (here the starter itself, which
    // should fail the visible test), each test's pass or fail listed.
    await teacher.getByRole("button", { name: "Try the starter" }).click();
    await teacher.waitForURL(/\/scenarios\/[a-z0-9]+/);
    await teacher.goto(assignmentUrl);
    const reference = teacher.getByTestId("reference-check");
    await reference.getByLabel(/^Reference/).selectOption({ label: "Implement it: broadcast that loses nothing (v1)" });
    await reference.getByRole("button", { name: "Check the tests" }).click();
    const tests = reference.getByTestId("reference-test");
    await expect(tests).toHaveCount(2, { timeout: 90_000 });
    await expect(tests.first()).toContainText("✗ failed");
    await expect(tests.first()).toContainText("loss and a partition");
    await expect(tests.nth(1)).toContainText("loss and a crash");
    await teacher.getByRole("button", { name: "Publish" }).click();
    await expect(teacher.getByTestId("draft-banner")).toHaveCount(0);

    // The student starts it: sharing is disabled, and says why.
    await signUp(ada, student);
    await ada.goto("/courses");
    await ada.getByLabel(/^Join code/).fill(joinCode);
    await ada.getByRole("button", { name: "Join" }).click();
    await expect(ada.getByTestId("course-title")).toHaveText(`Grading ${width}`);
    await ada.goto(assignmentUrl);
    await expect(ada.getByTestId("sharing-policy")).toContainText("until the instructor allows sharing");
    await ada.getByRole("button", { name: "Start" }).click();
    await ada.waitForURL(/\/scenarios\/[a-z0-9]+/);
    const share = ada.getByTestId("share-panel");
    await expect(share.getByTestId("share-locked")).toContainText("your work for “Broadcast”");
    await expect(share.getByTestId("share-locked")).toContainText("cannot be made public or unlisted");
    await expect(share.getByRole("radio", { name: /public/ })).toBeDisabled();
    await expect(share.getByRole("radio", { name: /unlisted/ })).toBeDisabled();

    // The starter as it is: the visible test fails; its failing seed opens as a run with a witness.
    await ada.getByRole("button", { name: /^Submit v\d+ to Broadcast/ }).click();
    await ada.waitForURL(/\/courses\/submissions\/[a-z0-9]+$/);
    const submissionUrl = ada.url();
    await expect(ada.getByTestId("score")).toHaveText(/^\d+(\.\d+)? \/ 10$/, { timeout: 90_000 });
    const visible = ada.getByTestId("visible-test");
    await expect(visible).toContainText("✗ failed");
    await expect(ada.getByTestId("hidden-result")).toContainText("of 1");
    await visible.getByTestId("open-seeds").getByRole("button").first().click();
    await ada.waitForURL(/\/runs\/[a-z0-9]+$/);
    await expect(ada.getByTestId("verdict-badge")).toHaveText("✗ a check failed", { timeout: 60_000 });
    await expect(ada.getByTestId("diagram-run")).toBeVisible();
    const check = ada.getByTestId("check-set-full");
    await expect(check).toContainText("✗ fails");
    await check.getByRole("button", { name: /Show witness/ }).click();
    await expect(ada.getByTestId("witness-note")).toContainText("Witness of set-full");
    // This run is work for the assignment too.
    await expect(ada.getByTestId("share-locked")).toBeVisible();

    // The grading run's own page shows the grade test by test; the hidden test only as a count.
    await ada.goto(submissionUrl);
    await ada.getByTestId("grading-runs").getByRole("link").first().click();
    await ada.waitForURL(/\/runs\/[a-z0-9]+$/);
    const result = ada.getByTestId("grading-run-result");
    await expect(result).toContainText("loss and a partition");
    await expect(result.getByTestId("visible-test")).toContainText("✗ failed");
    await expect(result.getByTestId("hidden-result")).toContainText("hidden test passed");
    await expect(ada.locator("body")).not.toContainText("loss and a crash");

    // The student's own score on the course page.
    await ada.goto(courseUrl);
    await expect(ada.getByTestId("my-score")).toHaveText(/^\d+(\.\d+)? \/ 10$/);
    const score = (await ada.getByTestId("my-score").innerText()).split(" / ")[0]!;

    // The course gradebook: one column per assignment, points possible; the LMS exports.
    await teacher.goto(courseUrl);
    await teacher.getByTestId("course-gradebook-link").click();
    const book = teacher.getByTestId("course-gradebook");
    await expect(book.getByTestId("points-possible")).toContainText("10");
    // Compact headers: the title (all of it in the tooltip) over its points; the total in view at either width.
    await expect(book.getByRole("columnheader", { name: /Broadcast/ })).toHaveAttribute("title", "Broadcast (10 points)");
    await expect(book.getByRole("columnheader", { name: /Total/ })).toBeInViewport({ ratio: 1 });
    const row = book.getByTestId(`course-gradebook-row-${student.email}`);
    await expect(row.getByTestId("grade-cell")).toHaveText(score);
    await row.getByLabel("SIS user ID").fill("S-42");
    await row.getByLabel("Section").fill("Lab 1");
    await row.getByRole("button", { name: "Save" }).click();
    await expect(row).toContainText("saved");

    const canvas = csvRows(await download(teacher, "download-canvas"));
    expect(canvas[0]).toEqual(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Broadcast"]);
    expect(canvas[1]).toEqual(["Points Possible", "", "", "", "", "10"]);
    expect(canvas[2]).toEqual(["Ada Student", "", "S-42", student.email, "Lab 1", score]);
    expect(canvas).toHaveLength(3);
    const gradescope = csvRows(await download(teacher, "download-gradescope"));
    expect(gradescope).toEqual([["Name", "SID", "Email", "Broadcast"], ["Ada Student", "S-42", student.email, score]]);

    // The student cannot reach the gradebook.
    await ada.goto(`${courseUrl}/gradebook`);
    await expect(ada.getByText("Only the course's instructors and TAs see the gradebook.")).toBeVisible();
    expect((await ada.request.get(`/api/courses/${courseUrl.split("/").pop()}/gradebook?format=canvas`)).status()).toBe(403);

    await Promise.all([teacherCtx.close(), studentCtx.close()]);
  });
}
