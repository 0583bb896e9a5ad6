"use client";
// Writing an assignment: title, Markdown instructions, deadline and late policy, the starter
// scenario, edit rules, and the grading tests as YAML (hidden scenarios included). The API checks
// it all and answers with field paths, listed here.
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { stringify } from "yaml";
import { ScenarioEditor, ProblemList } from "@/app/_components/scenario-editor";
import { checkScenario, type ScenarioProblemView } from "@/server/scenarios/validate";
import { parseTestsDocument, placeTestsProblems } from "@/server/courses/tests-document";
import type { SharingPolicy } from "@/server/courses/definition";
import { StarterFromMine } from "./starter-from-mine";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { FAULT_KINDS } from "@/app/_components/fault-kinds";
import { demoBreakIt, demoFixIt, demoImplementIt } from "@/server/courses/examples";

type Kind = "break-it" | "fix-it" | "implement-it";

export interface AssignmentFormValues {
  kind: Kind;
  title: string;
  instructions: string;
  starterSource: string;
  deadline: string;
  latePolicy: { kind: "none" } | { kind: "penalty"; percentPerDay: number; cutoffDays: number };
  submissionsPerHour: number | null;
  rules: { maxFaults?: number; faultKinds?: string[] };
  tests: unknown[];
  sharing?: SharingPolicy;
}

const TESTS_HELP: Record<Kind, string> = {
  "break-it": "# Each test: name, points, visible (false: students see only its points), seeds { from, count },\n# requirements: { check: <a check of the starter>, failOn: every | any }. It passes when the check FAILS.\n",
  "fix-it": "# Each test: name, points, visible, seeds { from, count }, scenario (the hidden grading scenario;\n# students never see it), requirements: { checks: [...], minHeldShare, minCompletionRate, maxMessagesPerRequest }.\n# The student's protocol replaces the hidden scenario's; the named checks must hold.\n",
  "implement-it": "# Each test: name, points, visible, seeds { from, count }, scenario (a grading scenario with a workload for\n# programs; a visible test's scenario is shown to students, a hidden one never), requirements: { checks: [...],\n# minHeldShare }. The student's program runs every program node of the scenario; the named checks must hold.\n",
};

export function testsToYaml(kind: Kind, tests: unknown[]): string {
  return TESTS_HELP[kind] + stringify(tests, { lineWidth: 0 });
}

/** A date as a datetime-local input shows it, in the browser's time zone. */
function toLocalInput(d: Date): string {
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function example(kind: Kind) {
  const when = new Date(Date.now() + 7 * 86_400_000);
  const e = kind === "break-it" ? demoBreakIt(when) : kind === "fix-it" ? demoFixIt(when) : demoImplementIt(when);
  return { ...e, deadline: toLocalInput(e.deadline), tests: e.tests };
}

export function AssignmentForm({ courseId, assignmentId, initial }: { courseId: string; assignmentId?: string; initial?: AssignmentFormValues }) {
  const trpc = useTRPC();
  const router = useRouter();
  const start = initial ?? { ...example("break-it"), submissionsPerHour: null };
  const [kind, setKind] = useState<Kind>(start.kind as Kind);
  const [title, setTitle] = useState(initial?.title ?? "");
  const [instructions, setInstructions] = useState(start.instructions);
  const [starter, setStarter] = useState(start.starterSource);
  const [deadline, setDeadline] = useState(initial ? toLocalInput(new Date(initial.deadline)) : start.deadline);
  const [lateKind, setLateKind] = useState<"none" | "penalty">(start.latePolicy.kind);
  const [percentPerDay, setPercentPerDay] = useState(String(start.latePolicy.kind === "penalty" ? start.latePolicy.percentPerDay : 10));
  const [cutoffDays, setCutoffDays] = useState(String(start.latePolicy.kind === "penalty" ? start.latePolicy.cutoffDays : 3));
  const [perHour, setPerHour] = useState(start.submissionsPerHour === null ? "" : String(start.submissionsPerHour));
  const rules = start.rules as AssignmentFormValues["rules"];
  const [maxFaults, setMaxFaults] = useState(rules.maxFaults === undefined ? "" : String(rules.maxFaults));
  const [faultKinds, setFaultKinds] = useState<string[]>(rules.faultKinds ?? []);
  const [testsText, setTestsText] = useState(testsToYaml(start.kind as Kind, start.tests));
  const [sharing, setSharing] = useState<SharingPolicy>(initial?.sharing ?? "never");
  const [draft, setDraft] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  // Problems the API found, kept until the text they are about changes.
  const [serverStarter, setServerStarter] = useState<{ text: string; problems: ScenarioProblemView[] } | null>(null);
  const [serverTests, setServerTests] = useState<{ text: string; problems: ScenarioProblemView[] } | null>(null);
  const [starterFocus, setStarterFocus] = useState<{ line?: number; column?: number; nonce: number } | null>(null);
  const [testsFocus, setTestsFocus] = useState<{ line?: number; column?: number; nonce: number } | null>(null);
  // The same parser as the API's, as you type: the starter's problems and the tests' YAML at their lines.
  const starterChecked = useMemo(() => checkScenario(starter), [starter]);
  const starterProblems = serverStarter?.text === starter ? serverStarter.problems : starterChecked.ok ? [] : starterChecked.problems;
  const testsParsed = useMemo(() => parseTestsDocument(testsText), [testsText]);
  const testsProblems = testsParsed.problems.length ? testsParsed.problems : serverTests?.text === testsText ? serverTests.problems : [];
  const create = useMutation(trpc.assignment.create.mutationOptions());
  const update = useMutation(trpc.assignment.update.mutationOptions());
  const busy = create.isPending || update.isPending;

  function switchKind(next: Kind) {
    setKind(next);
    const e = example(next);
    setStarter(e.starterSource);
    setInstructions(e.instructions);
    setTestsText(testsToYaml(next, e.tests));
    setMaxFaults(next === "break-it" ? "2" : "");
    setFaultKinds(next === "break-it" ? ["drop", "delay", "duplicate"] : []);
  }

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setErrors([]);
    const tests = testsParsed.tests;
    if (!tests) {
      setErrors(testsParsed.problems.map((p) => `${p.path}: ${p.message}${p.line ? ` (line ${p.line})` : ""}`));
      return;
    }
    const when = new Date(deadline);
    if (Number.isNaN(when.getTime())) {
      setErrors(["deadline: pick a date and time"]);
      return;
    }
    const fields = {
      title,
      instructions,
      starterSource: starter,
      deadline: when,
      latePolicy: lateKind === "none" ? { kind: "none" as const } : { kind: "penalty" as const, percentPerDay: Number(percentPerDay), cutoffDays: Number(cutoffDays) },
      submissionsPerHour: perHour.trim() === "" ? null : Number(perHour),
      rules: kind === "break-it" ? { ...(maxFaults.trim() === "" ? {} : { maxFaults: Number(maxFaults) }), ...(faultKinds.length ? { faultKinds } : {}) } : {},
      tests,
      sharing,
    };
    try {
      const res = assignmentId ? await update.mutateAsync({ id: assignmentId, ...fields }) : await create.mutateAsync({ courseId, kind, ...fields, draft });
      router.push(`/courses/assignments/${res.id}`);
      router.refresh();
    } catch (err) {
      const view = apiError(err);
      const list = Object.entries(view.fieldErrors).flatMap(([path, messages]) => messages.map((m) => `${path}: ${m}`));
      setErrors(list.length ? list : [view.message]);
      // Each problem also at its line in its editor.
      const entries = Object.entries(view.fieldErrors).flatMap(([path, messages]) => messages.map((message) => ({ path, message })));
      const starterOnes = entries.filter((e) => e.path === "starterSource").map((e) => {
        const line = /\(line (\d+)\)\s*$/.exec(e.message);
        return { path: "", message: e.message, ...(line ? { line: Number(line[1]) } : {}) };
      });
      setServerStarter(starterOnes.length ? { text: starter, problems: starterOnes } : null);
      const testOnes = entries.filter((e) => e.path === "tests" || e.path.startsWith("tests."));
      setServerTests(testOnes.length ? { text: testsText, problems: placeTestsProblems(testsText, testOnes) } : null);
    }
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="assignment-form">
      <div className="panel">
        <div className="grid cols-2">
          <div className="field">
            <label htmlFor="a-title">Title</label>
            <input id="a-title" type="text" value={title} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="a-kind">Kind</label>
            <select id="a-kind" value={kind} disabled={Boolean(assignmentId)} onChange={(e) => switchKind(e.target.value as Kind)}>
              <option value="break-it">Break it: change only faults so a check fails</option>
              <option value="fix-it">Fix it: change only protocol parameters so checks hold</option>
              <option value="implement-it">Implement it: write the program so checks hold</option>
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="a-instructions">Instructions <span className="hint">(Markdown)</span></label>
          <textarea id="a-instructions" value={instructions} onChange={(e) => setInstructions(e.target.value)} style={{ minHeight: "6rem", fontFamily: "var(--sans)" }} />
        </div>
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="a-deadline">Deadline <span className="hint">(your time zone)</span></label>
            <input id="a-deadline" type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="a-late">Late work</label>
            <select id="a-late" value={lateKind} onChange={(e) => setLateKind(e.target.value as "none" | "penalty")}>
              <option value="none">not accepted</option>
              <option value="penalty">penalty per day</option>
            </select>
          </div>
          {lateKind === "penalty" ? (
            <>
              <div className="field">
                <label htmlFor="a-percent">% per day</label>
                <input id="a-percent" type="number" min={0} max={100} value={percentPerDay} onChange={(e) => setPercentPerDay(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor="a-cutoff">Cut-off (days)</label>
                <input id="a-cutoff" type="number" min={1} max={60} value={cutoffDays} onChange={(e) => setCutoffDays(e.target.value)} />
              </div>
            </>
          ) : null}
          <div className="field">
            <label htmlFor="a-per-hour">Submissions per hour <span className="hint">(empty: 10)</span></label>
            <input id="a-per-hour" type="number" min={1} value={perHour} onChange={(e) => setPerHour(e.target.value)} />
          </div>
        </div>
      </div>

      {kind === "break-it" ? (
        <div className="panel">
          <h3>What students may change</h3>
          <p className="small muted">Only the faults. Everything else must stay as in the starter (name and description may change).</p>
          <div className="inline-fields">
            <div className="field">
              <label htmlFor="a-max-faults">At most this many faults <span className="hint">(empty: any)</span></label>
              <input id="a-max-faults" type="number" min={0} value={maxFaults} onChange={(e) => setMaxFaults(e.target.value)} />
            </div>
            <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
              <label>Fault kinds allowed <span className="hint">(none ticked: any)</span></label>
              <div className="row">
                {FAULT_KINDS.map((k) => (
                  <label key={k} style={{ fontWeight: 400 }}>
                    <input type="checkbox" checked={faultKinds.includes(k)} onChange={(e) => setFaultKinds(e.target.checked ? [...faultKinds, k] : faultKinds.filter((x) => x !== k))} /> {k}
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
        </div>
      ) : (
        <div className="panel">
          <h3>What students may change</h3>
          <p className="small muted">Only the protocol&apos;s parameters (timeouts, retries, backoff, processing, concurrency, dedupe). The servers&apos; downstream calls and everything else stay as in the starter.</p>
        </div>
      )}

      <div className="panel">
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="a-sharing">Students may share their work</label>
            <select id="a-sharing" value={sharing} onChange={(e) => setSharing(e.target.value as SharingPolicy)}>
              <option value="never">not until I allow it</option>
              <option value="after-deadline">after the last accepted submission</option>
              <option value="now">now</option>
            </select>
          </div>
          {!assignmentId ? (
            <label style={{ fontWeight: 400, alignSelf: "end" }}>
              <input type="checkbox" checked={draft} onChange={(e) => setDraft(e.target.checked)} /> Save as a draft: students see it when you publish it
            </label>
          ) : null}
        </div>
        <p className="small muted">Until then a student&apos;s working copy, submissions and their runs stay private to them and the course staff: they cannot be made public or unlisted, listed in the gallery, or forked by classmates.</p>
      </div>

      <div className="grid cols-2">
        <div className="panel">
          <h3>Starter scenario</h3>
          <StarterFromMine onPick={(source) => setStarter(source)} />
          <ScenarioEditor value={starter} onChange={setStarter} problems={starterProblems} focus={starterFocus} label="Starter scenario" testId="starter-editor" />
          <ProblemList problems={starterProblems} onSelect={(p) => setStarterFocus({ line: p.line, column: p.column, nonce: Date.now() })} />
        </div>
        <div className="panel">
          <h3>Grading tests</h3>
          <ScenarioEditor value={testsText} onChange={setTestsText} problems={testsProblems} focus={testsFocus} label="Grading tests" testId="tests-editor" />
          <ProblemList problems={testsProblems} onSelect={(p) => setTestsFocus({ line: p.line, column: p.column, nonce: Date.now() })} />
        </div>
      </div>

      {errors.length ? (
        <div className="alert error" role="alert" data-testid="form-errors">
          <ul style={{ margin: 0, paddingLeft: "1.2rem" }}>
            {errors.map((e) => <li key={e}>{e}</li>)}
          </ul>
        </div>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>{assignmentId ? "Save assignment" : "Create assignment"}</button>
        {assignmentId ? <span className="status-line">Changing the tests does not regrade by itself: use “Regrade all” on the gradebook.</span> : null}
      </div>
    </form>
  );
}
