// Pure parts of course authoring and integrity: where a problem with the grading tests sits in
// their YAML (for the editor's underline), and when an assignment's work may be shared.
import { describe, expect, it } from "vitest";
import { parseTestsDocument, placeTestsProblems } from "@/server/courses/tests-document";
import { isLocked, sharingOpensAt, SHARING_NEVER } from "@/server/courses/integrity";

const TESTS = `# a comment line
- name: first
  points: 5
  seeds: { from: 1, count: 3 }
  requirements:
    check: at-most-once
- name: second
  points: 5
  scenario: |
    version: 1
    name: hidden
    nodes: []
  requirements:
    checks: [all-complete]
`;

describe("grading tests document", () => {
  it("reads the list, or says at which line the YAML breaks", () => {
    expect(parseTestsDocument(TESTS).tests).toHaveLength(2);
    const broken = parseTestsDocument("- name: a\n  points: [1, 2\n- name: b\n");
    expect(broken.tests).toBeNull();
    expect(broken.problems[0]).toMatchObject({ path: "tests" });
    expect(broken.problems[0]!.line).toBeGreaterThanOrEqual(2);
    expect(parseTestsDocument("name: not a list\n").problems).toEqual([{ path: "tests", message: "write a list of tests (each starting with “- name: …”)", line: 1 }]);
  });

  it("places the API's field paths at their lines, and a hidden scenario's own line inside its block", () => {
    const placed = placeTestsProblems(TESTS, [
      { path: "tests.0.requirements.check", message: 'the starter scenario has no "at-most-once" check' },
      { path: "tests.1.points", message: "too many" },
      { path: "tests.1.scenario", message: "nodes: add at least one node (line 3)" },
      { path: "tests.7.name", message: "no such test" }, // no test 7: at the list itself
    ]);
    expect(placed.map((p) => p.line)).toEqual([6, 8, 12, 2]);
    expect(placed[0]).toMatchObject({ path: "tests.0.requirements.check", column: 12 });
  });
});

describe("sharing an assignment's work", () => {
  const deadline = new Date("2026-03-01T12:00:00Z");
  it("opens now, never, or after the last accepted submission", () => {
    expect(sharingOpensAt("now", deadline, { kind: "none" }).getTime()).toBe(0);
    expect(sharingOpensAt("never", deadline, { kind: "none" })).toEqual(SHARING_NEVER);
    expect(sharingOpensAt("after-deadline", deadline, { kind: "none" })).toEqual(deadline);
    expect(sharingOpensAt("after-deadline", deadline, { kind: "penalty", percentPerDay: 10, cutoffDays: 3 })).toEqual(new Date("2026-03-04T12:00:00Z"));
  });
  it("is locked before that time and for work tied to nothing never", () => {
    expect(isLocked(null)).toBe(false);
    expect(isLocked(deadline, new Date("2026-03-01T11:59:59Z"))).toBe(true);
    expect(isLocked(deadline, deadline)).toBe(false);
  });
});
