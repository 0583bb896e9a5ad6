// Input that passes validation is stored on both databases: a NUL character in any text, a
// number past the database's integer range or a date past what it stores is refused as a field
// error (400), never a database failure (500); and every refusal names its field, in words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { errorOf, mutate, query, type HttpResult } from "../helpers/http";
import type { SessionUser } from "@/server/auth/options";
import { TEMPLATES } from "@/server/templates";

const DAY_MS = 24 * 60 * 60 * 1000;
const STARTER = TEMPLATES.find((t) => t.id === "response-lost")!.source;
const BEYOND_INT = 2 ** 31;

/** A refusal as the client sees it: 400, the field's path in fieldErrors, a sentence (not zod's JSON) naming it. */
function expectFieldError(res: HttpResult, field: string, pattern: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  const err = errorOf(res);
  expect(err.data.fieldErrors?.[field]?.join(" ")).toMatch(pattern);
  expect(err.message.startsWith(`${field}: `), err.message).toBe(true);
  expect(err.message).not.toMatch(/^\s*[[{]|"code":|Invalid input/);
  expect(Object.keys(err.data.fieldErrors ?? {})).not.toContain("_");
}

describe.each(PROVIDERS)("input bounds on %s", (provider) => {
  let t: TestDb;
  let alice: SessionUser;
  let scenarioId: string;
  let courseId: string;

  beforeAll(async () => {
    t = await createTestDb(provider);
    alice = await makeUser(t.db, "Alice");
    scenarioId = (await callerFor(t, alice).scenario.create({ templateId: "request-lost" })).id;
    courseId = (await callerFor(t, alice).course.create({ title: "Distributed systems" })).id;
  });
  afterAll(async () => t.drop());

  const assignment = (extra: Record<string, unknown>) => ({
    courseId,
    kind: "break-it",
    title: "Break it",
    starterSource: STARTER,
    deadline: new Date(Date.now() + 7 * DAY_MS).toISOString(),
    tests: [{ name: "at-most-once fails", points: 1, requirements: { check: "at-most-once" } }],
    ...extra,
  });

  it("refuses a NUL character in any text with the field's path, and stores nothing", async () => {
    const as = { user: alice };
    const cases: [string, unknown, string][] = [
      ["scenario.create", { source: `${STARTER}\n# a comment \u0000 with NUL\n` }, "source"],
      ["scenario.saveVersion", { id: scenarioId, source: STARTER, note: "fix\u0000" }, "note"],
      ["course.create", { title: "Systems\u0000" }, "title"],
      ["course.update", { id: courseId, title: "ok", description: "a\u0000b" }, "description"],
      ["assignment.create", assignment({ title: "Break\u0000it" }), "title"],
      ["assignment.create", assignment({ instructions: "Read \u0000 this" }), "instructions"],
      ["assignment.create", assignment({ tests: [{ name: "x\u0000", points: 1, requirements: { check: "at-most-once" } }] }), "tests.0.name"],
      ["user.signUp", { name: "Mallory\u0000", email: `m-${provider}@example.org`, password: "long enough" }, "name"],
      ["course.join", { code: "ABC\u0000" }, "code"],
    ];
    const before = { scenarios: await t.db.scenarioVersion.count(), courses: await t.db.course.count(), users: await t.db.user.count() };
    for (const [path, input, field] of cases) {
      const res = await mutate(t, path, input, as);
      expect(Object.keys(errorOf(res).data.fieldErrors ?? {}), `${path}: ${JSON.stringify(res.body)}`).toContain(field);
      expectFieldError(res, field, /NUL character/);
    }
    // Queries too: a filter or an id that would reach the database.
    expectFieldError(await query(t, "scenario.list", { q: "a\u0000" }, as), "q", /NUL character/);
    expectFieldError(await query(t, "run.byId", { id: "r\u0000" }, as), "id", /NUL character/);
    expect({ scenarios: await t.db.scenarioVersion.count(), courses: await t.db.course.count(), users: await t.db.user.count() }).toEqual(before);
  });

  it("bounds version numbers and pages to the database's integer range", async () => {
    const as = { user: alice };
    expectFieldError(await query(t, "scenario.byId", { id: scenarioId, version: BEYOND_INT }, as), "version", /at most 2147483647/);
    expectFieldError(await mutate(t, "run.create", { scenarioId, version: BEYOND_INT }, as), "version", /at most 2147483647/);
    expectFieldError(await mutate(t, "scenario.fork", { id: scenarioId, version: BEYOND_INT }, as), "version", /at most 2147483647/);
    expectFieldError(await mutate(t, "scenario.saveVersion", { id: scenarioId, source: STARTER, baseVersion: BEYOND_INT }, as), "baseVersion", /at most/);
    expectFieldError(await mutate(t, "assignment.submit", { assignmentId: "a", scenarioId, version: 2 ** 53 }, as), "version", /at most/);
    expectFieldError(await query(t, "run.list", { page: 1e12 }, as), "page", /at most/);
    expectFieldError(await query(t, "scenario.byId", { id: scenarioId, version: 1.5 }, as), "version", /whole number/);
    // In range but absent: the ordinary "not found".
    expect((await query(t, "scenario.byId", { id: scenarioId, version: 2 ** 31 - 1 }, as)).status).toBe(404);
  });

  it("bounds deadlines to dates both databases store", async () => {
    const as = { user: alice };
    for (const deadline of ["+010000-01-01T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "-000001-01-01T00:00:00.000Z", "1969-12-31T23:59:59.000Z"]) {
      expectFieldError(await mutate(t, "assignment.create", assignment({ deadline }), as), "deadline", /1970|10000/);
    }
    expectFieldError(await mutate(t, "assignment.create", assignment({ deadline: "not a date" }), as), "deadline", /date/);
    const ok = await mutate(t, "assignment.create", assignment({ deadline: "9999-12-31T00:00:00.000Z" }), as);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it("names the field of a wrong type, also in a choice of inputs", async () => {
    const as = { user: alice };
    expectFieldError(await mutate(t, "scenario.create", { source: 123 }, as), "source", /expected text, got the number 123/);
    expectFieldError(await mutate(t, "scenario.create", {}, as), "source", /template/);
    expectFieldError(await mutate(t, "assignment.create", assignment({ latePolicy: { kind: "forgive" } }), as), "latePolicy.kind", /one of none, penalty/);
    expectFieldError(await mutate(t, "assignment.create", assignment({ latePolicy: { kind: "penalty", percentPerDay: "ten", cutoffDays: 2 } }), as), "latePolicy.percentPerDay", /expected number/);
    expectFieldError(await mutate(t, "run.create", 42, as), "input", /expected object/);
  });

  it("says where an alias bomb or a document that is not a map is, and in which field", async () => {
    const as = { user: alice };
    const bomb = ["a: &a [x,x,x,x,x,x,x,x,x,x]", "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]", "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]", "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]", ""].join("\n");
    const bombed = await mutate(t, "scenario.create", { source: bomb }, as);
    expectFieldError(bombed, "source", /^c: too many YAML aliases \(at most \d+\) \(line 3\)$/);
    expect(errorOf(bombed).data.scenarioProblems).toEqual([expect.objectContaining({ path: "c", line: 3, message: expect.stringMatching(/aliases/) })]);
    const list = await mutate(t, "scenario.saveVersion", { id: scenarioId, source: "- version: 1\n- name: x\n" }, as);
    expectFieldError(list, "source", /a scenario is a map of fields .*got a list \(line 1\)/);
    expect(errorOf(list).data.scenarioProblems?.[0]).toMatchObject({ path: "", line: 1 });
  });
});
