// What an instructor writes for an assignment, as zod schemas: grading tests, edit rules
// and the late policy, and the cross-checks against the starter and hidden scenarios.
import { z } from "zod";
import { CHECK_NAMES, FAULT_KINDS, type CheckName, type FaultKind, type Scenario } from "@/server/sim";
import { checkScenario, SERVICE_LIMITS, type CheckedScenario } from "@/server/scenarios/validate";
import { zDate, zInt, zText } from "@/server/api/input";

/** When students' work on an assignment may be shared beyond the staff (server/courses/integrity.ts). */
export const SHARING_POLICIES = ["never", "after-deadline", "now"] as const;
export const ZSharingPolicy = z.enum(SHARING_POLICIES);
export type SharingPolicy = z.infer<typeof ZSharingPolicy>;

/** Tests one assignment may have. */
export const GRADING_TESTS_MAX = 20;
/** Seeds one grading test may run. */
export const GRADING_SEEDS_PER_TEST_MAX = 500;
/** Seeds all of an assignment's tests may run together, so one submission's grading stays bounded. */
export const GRADING_SEEDS_TOTAL_MAX = 2000;
/** Points one test may be worth. */
export const TEST_POINTS_MAX = 1000;
/** How many submissions a student may make to one assignment per hour, unless it says otherwise. */
export const SUBMISSIONS_PER_HOUR_DEFAULT = 10;
export const SUBMISSIONS_PER_HOUR_MAX = 1000;
/** The longest late window a penalty policy may set. */
export const LATE_CUTOFF_DAYS_MAX = 60;
export const INSTRUCTIONS_CHARS_MAX = 20_000;

/**
 * break it: change only the faults so a check fails; fix it: change only the protocol's parameters
 * so checks hold under hidden scenarios; implement it: write the program (only its files change) so
 * checks hold under grading scenarios, visible or hidden.
 */
export const ASSIGNMENT_KINDS = ["break-it", "fix-it", "implement-it"] as const;
export const ZAssignmentKind = z.enum(ASSIGNMENT_KINDS);
export type AssignmentKind = z.infer<typeof ZAssignmentKind>;

const zCheckName = z.enum(CHECK_NAMES as [CheckName, ...CheckName[]], { message: `a check is one of ${CHECK_NAMES.join(", ")}` });
const zFaultKind = z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]], { message: `a fault kind is one of ${FAULT_KINDS.join(", ")}` });

export const ZSeeds = z.object({
  // Seeds are stored as a Float column (unsigned 32-bit values), not as an Int.
  from: z.number().int("a seed is a whole number").min(0, "a seed is at least 0").max(0xffff_ffff, `a seed is at most ${0xffff_ffff}`).default(1),
  count: zInt(1, GRADING_SEEDS_PER_TEST_MAX, "a number of seeds").default(1),
});

const testBase = {
  name: zText({ max: 120, required: "give the test a name" }),
  points: z.number().min(0, "points are 0 or more").max(TEST_POINTS_MAX, `at most ${TEST_POINTS_MAX} points`),
  /** Visible tests show students their details; hidden ones only count towards totals. */
  visible: z.boolean().default(true),
  seeds: ZSeeds.default({ from: 1, count: 1 }),
};

/** Break it: the named check must fail when the student's scenario runs. */
export const ZBreakItTest = z.object({
  ...testBase,
  requirements: z.object({
    check: zCheckName,
    /** "every": the check fails on every seed; "any": on at least one. */
    failOn: z.enum(["every", "any"]).default("every"),
  }),
});

/** Fix it: under a hidden scenario with the student's protocol, the named checks must hold. */
export const ZFixItTest = z.object({
  ...testBase,
  /** The hidden grading scenario (YAML or JSON); students never receive it. */
  scenario: zText({ max: SERVICE_LIMITS.maxDocumentBytes, trim: false, maxMessage: "the scenario is too long" }).refine((s) => s.trim().length > 0, "the hidden scenario is empty"),
  requirements: z.object({
    checks: z.array(zCheckName).min(1, "name at least one check").max(5),
    /** Share of seeds on which every named check must hold (1: all of them). */
    minHeldShare: z.number().min(0).max(1).default(1),
    /** Requests succeeded / issued, summed over every seed. */
    minCompletionRate: z.number().min(0).max(1).optional(),
    /** Messages sent / requests issued, summed over every seed. */
    maxMessagesPerRequest: z.number().positive().max(1_000_000).optional(),
  }),
});

export type TBreakItTest = z.infer<typeof ZBreakItTest>;
export type TFixItTest = z.infer<typeof ZFixItTest>;
export type TGradingTest = TBreakItTest | TFixItTest;

export const ZBreakItRules = z.object({
  maxFaults: zInt(0, 100, "a number of faults").optional(),
  faultKinds: z.array(zFaultKind).max(FAULT_KINDS.length).optional(),
});
export const ZFixItRules = z.object({});
export type TBreakItRules = z.infer<typeof ZBreakItRules>;

export const ZLatePolicy = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({
    kind: z.literal("penalty"),
    percentPerDay: z.number().min(0, "0 to 100").max(100, "0 to 100"),
    cutoffDays: zInt(1, LATE_CUTOFF_DAYS_MAX, "a number of days"),
  }),
]);
export type TLatePolicy = z.infer<typeof ZLatePolicy>;

/** The parts of an assignment that decide grading, as the API takes them. */
export const ZAssignmentFields = z.object({
  title: zText({ max: 160, required: "give the assignment a title" }),
  instructions: zText({ max: INSTRUCTIONS_CHARS_MAX, trim: false }).default(""),
  starterSource: zText({ max: SERVICE_LIMITS.maxDocumentBytes, trim: false, maxMessage: "the starter scenario is too long" }).refine((s) => s.trim().length > 0, "the starter scenario is empty"),
  deadline: zDate(),
  latePolicy: ZLatePolicy.default({ kind: "none" }),
  submissionsPerHour: zInt(1, SUBMISSIONS_PER_HOUR_MAX, "a number of submissions").nullable().default(null),
  rules: z.record(z.string(), z.unknown()).default({}),
  /** When students' work may be shared beyond the staff (server/courses/integrity.ts). */
  sharing: ZSharingPolicy.default("never"),
  /** A draft is seen by the course staff only, until published. */
  draft: z.boolean().default(false),
  tests: z.array(z.unknown()).min(1, "add at least one grading test").max(GRADING_TESTS_MAX, `at most ${GRADING_TESTS_MAX} tests`),
});
export type TAssignmentFields = z.infer<typeof ZAssignmentFields>;

export interface DefinitionProblem {
  path: string;
  message: string;
}

export type CheckedDefinition =
  | { ok: true; starter: Scenario; rules: Record<string, unknown>; tests: TGradingTest[] }
  | { ok: false; problems: DefinitionProblem[] };

function issuesAt(prefix: string, error: z.ZodError): DefinitionProblem[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join("."), message: i.message }));
}

/**
 * Validates the kind-specific parts (rules, tests) and their agreement with the starter: every
 * named check must be one the scenario declares, hidden scenarios must be valid, seeds bounded.
 * Every problem is reported with its field path ("tests.1.scenario: faults[0].node: …").
 */
export function checkDefinition(
  kind: AssignmentKind,
  fields: Pick<TAssignmentFields, "starterSource" | "rules" | "tests">,
  check: (source: string) => CheckedScenario = checkScenario,
): CheckedDefinition {
  const problems: DefinitionProblem[] = [];
  const starterChecked = check(fields.starterSource);
  if (!starterChecked.ok) {
    for (const p of starterChecked.problems) problems.push({ path: "starterSource", message: `${p.path ? `${p.path}: ` : ""}${p.message}${p.line ? ` (line ${p.line})` : ""}` });
  }
  const starter = starterChecked.ok ? starterChecked.scenario : null;
  const rulesParsed = (kind === "break-it" ? ZBreakItRules : ZFixItRules).safeParse(fields.rules);
  if (!rulesParsed.success) problems.push(...issuesAt("rules", rulesParsed.error));
  const tests: TGradingTest[] = [];
  let seedsTotal = 0;
  fields.tests.forEach((raw, i) => {
    const at = `tests.${i}`;
    if (kind === "break-it") {
      const parsed = ZBreakItTest.safeParse(raw);
      if (!parsed.success) return void problems.push(...issuesAt(at, parsed.error));
      const test = parsed.data;
      seedsTotal += test.seeds.count;
      if (starter && !starter.checks.some((c) => c.name === test.requirements.check)) {
        problems.push({ path: `${at}.requirements.check`, message: `the starter scenario has no "${test.requirements.check}" check; add it to its checks` });
      }
      tests.push(test);
    } else {
      const parsed = ZFixItTest.safeParse(raw);
      if (!parsed.success) return void problems.push(...issuesAt(at, parsed.error));
      const test = parsed.data;
      seedsTotal += test.seeds.count;
      const hidden = check(test.scenario);
      if (kind === "implement-it" && starter && starter.protocol.kind !== "custom") {
        problems.push({ path: "starterSource", message: "an implement-it starter is a program (protocol.kind: custom) whose files the students write" });
      }
      if (!hidden.ok) {
        for (const p of hidden.problems.slice(0, 10)) {
          problems.push({ path: `${at}.scenario`, message: `${p.path ? `${p.path}: ` : ""}${p.message}${p.line ? ` (line ${p.line})` : ""}` });
        }
      } else {
        test.requirements.checks.forEach((name, k) => {
          if (!hidden.scenario.checks.some((c) => c.name === name)) {
            problems.push({ path: `${at}.requirements.checks.${k}`, message: `the hidden scenario has no "${name}" check; add it to its checks` });
          }
        });
        if (kind === "implement-it") {
          if (hidden.scenario.protocol.kind === "request-response") problems.push({ path: `${at}.scenario`, message: "an implement-it grading scenario runs the student's program: give it a workload for programs" });
        } else if (starter && hidden.scenario.protocol.kind !== starter.protocol.kind) {
          problems.push({ path: `${at}.scenario`, message: `the hidden scenario's protocol is ${hidden.scenario.protocol.kind}, the starter's is ${starter.protocol.kind}` });
        }
      }
      tests.push(test);
    }
  });
  if (seedsTotal > GRADING_SEEDS_TOTAL_MAX) {
    problems.push({ path: "tests", message: `the tests run ${seedsTotal} seeds in all; the limit is ${GRADING_SEEDS_TOTAL_MAX}` });
  }
  if (problems.length || !starter || !rulesParsed.success) return { ok: false, problems };
  return { ok: true, starter, rules: rulesParsed.data, tests };
}

/** The scenario documents a definition holds (starter, hidden scenarios), to check ahead of checkDefinition. */
export function definitionDocuments(fields: Pick<TAssignmentFields, "starterSource" | "tests">): string[] {
  const hidden = fields.tests.map((t) => (t as { scenario?: unknown } | null)?.scenario).filter((s): s is string => typeof s === "string");
  return [fields.starterSource, ...hidden];
}

/** Reads stored tests back (they were validated when saved). */
export function storedTests(kind: string, json: string): TGradingTest[] {
  const raw = JSON.parse(json) as unknown[];
  const schema = kind === "break-it" ? ZBreakItTest : ZFixItTest;
  return raw.map((t) => schema.parse(t));
}

export function storedRules(kind: string, json: string): TBreakItRules {
  return kind === "break-it" ? ZBreakItRules.parse(JSON.parse(json)) : {};
}

export function storedLatePolicy(json: string): TLatePolicy {
  return ZLatePolicy.parse(JSON.parse(json));
}

/** Whether students may see a test's scenario: only an implement-it test marked visible. */
export function scenarioVisibleToStudents(kind: string, test: TGradingTest): boolean {
  return kind === "implement-it" && test.visible && isFixItTest(test);
}

export function isFixItTest(test: TGradingTest): test is TFixItTest {
  return "scenario" in test;
}

export function maxPointsOf(tests: readonly TGradingTest[]): number {
  return roundPoints(tests.reduce((sum, t) => sum + t.points, 0));
}

/** Points are kept to two decimals, so sums and penalties print the same everywhere. */
export function roundPoints(x: number): number {
  return Math.round(x * 100) / 100;
}
