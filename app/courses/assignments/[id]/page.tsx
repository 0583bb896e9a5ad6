// An assignment: instructions, deadline and late policy, what the grading tests ask (hidden
// tests only as counts and points for students), "Start", and the student's submissions.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { formatDate } from "@/app/_components/format";
import { SUBMISSIONS_PER_HOUR_DEFAULT } from "@/server/courses/definition";
import { Markdown } from "@/app/_components/markdown";
import { MySubmissions, StartButton } from "../../_components/assignment-student";
import { DraftBanner, ReferenceCheck } from "../../_components/reference-check";

export const metadata: Metadata = { title: "Assignment" };

function requirementText(kind: string, r: Record<string, unknown>): string {
  if (kind === "break-it") return `${String(r.check)} must fail on ${r.failOn === "any" ? "at least one seed" : "every seed"}`;
  const parts = [`${(r.checks as string[]).join(", ")} hold on ${r.minHeldShare === 1 ? "every seed" : `at least ${Number(r.minHeldShare) * 100}% of seeds`}`];
  if (r.minCompletionRate !== undefined) parts.push(`at least ${Number(r.minCompletionRate) * 100}% of requests complete`);
  if (r.maxMessagesPerRequest !== undefined) parts.push(`at most ${String(r.maxMessagesPerRequest)} messages per request`);
  return parts.join("; ");
}

export default async function AssignmentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ as?: string }> }) {
  const { id } = await params;
  const asStudent = (await searchParams).as === "student";
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/courses/assignments/${id}`)}`);
  // Staff may preview the page as a student sees it: the server answers with the student's projection.
  const a = await orNotFound(api.assignment.byId({ id: id.slice(0, 64), asStudent }));
  const past = new Date(a.deadline).getTime() < Date.now();
  const rules = a.rules as { maxFaults?: number; faultKinds?: string[] };
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs"><Link href="/courses">My courses</Link> / <Link href={`/courses/${a.courseId}`}>{a.courseTitle}</Link> /</div>
          <h1 data-testid="assignment-title">{a.title}</h1>
          <p className="sub row">
            <span className="badge kind">{a.kind}</span>
            <span data-testid="deadline">Due {formatDate(a.deadline)}</span>
            {past ? <span className="badge failed">deadline passed</span> : null}
            <span>· {a.tests.maxPoints} points</span>
          </p>
        </div>
        <div className="row">
          {a.preview ? (
            <Link className="button" href={`/courses/assignments/${a.id}`} data-testid="end-preview">End preview</Link>
          ) : a.isStaff ? (
            <>
              {a.role === "instructor" ? <Link className="button" href={`/courses/assignments/${a.id}/edit`}>Edit</Link> : null}
              <Link className="button" href={`/courses/assignments/${a.id}/gradebook`}>Gradebook</Link>
              <Link className="button" href={`/courses/assignments/${a.id}?as=student`} data-testid="preview-as-student">Preview as student</Link>
              <StartButton assignmentId={a.id} label="Try the starter" />
            </>
          ) : (
            <StartButton assignmentId={a.id} />
          )}
        </div>
      </div>
      {a.preview ? (
        <div className="alert warn" data-testid="preview-banner">
          Preview: this is the page as a student of the course sees it{a.draft ? " once you publish it" : ""}. Hidden tests show only as a count and points; nothing here is staff-only.
        </div>
      ) : null}
      {a.isStaff && a.draft ? <DraftBanner assignmentId={a.id} isInstructor={a.role === "instructor"} /> : null}
      <div className="split">
        <div className="stack">
          <div className="panel">
            <Markdown text={a.instructions || "No instructions."} />
          </div>
          <div className="panel">
            <h3>Grading</h3>
            <p className="small muted">
              {a.kind === "break-it"
                ? `You may change only the faults${rules.maxFaults !== undefined ? `, at most ${rules.maxFaults}` : ""}${rules.faultKinds?.length ? `, of the kinds ${rules.faultKinds.join(", ")}` : ""}. A test passes when its check fails.`
                : a.kind === "implement-it"
                  ? "You may change only the program's files. Your program runs every program node of each grading scenario; a visible test's scenario is shown here, and you can open the runs of the seeds it fails on."
                  : "You may change only the protocol's parameters. Your protocol is run under the instructor's grading scenarios."}{" "}
              Your score is the sum of the passed tests&apos; points.
            </p>
            <ul className="verdicts" data-testid="tests">
              {a.tests.visible.map((t, i) => (
                <li key={i}>
                  <strong>{t.name}</strong>
                  <span className="why">{requirementText(a.kind, t.requirements as Record<string, unknown>)}; seeds {t.seeds.from}–{t.seeds.from + t.seeds.count - 1}</span>
                  <span className="spacer" />
                  <span className="nowrap">{t.points} pts</span>
                  {"scenario" in t && t.scenario ? (
                    <details style={{ width: "100%" }} data-testid="visible-scenario">
                      <summary className="small">The test&apos;s scenario</summary>
                      <pre className="source">{t.scenario}</pre>
                    </details>
                  ) : null}
                </li>
              ))}
              {a.tests.hidden.count ? (
                <li data-testid="hidden-tests">
                  <strong>{a.tests.hidden.count} hidden test{a.tests.hidden.count === 1 ? "" : "s"}</strong>
                  <span className="spacer" />
                  <span className="nowrap">{a.tests.hidden.points} pts</span>
                </li>
              ) : null}
            </ul>
          </div>
          {a.isStaff ? (
            <div className="panel" data-testid="staff-tests">
              <h3>All tests (staff only)</h3>
              {a.tests.all.map((t) => (
                <details key={t.index}>
                  <summary>{t.name} · {t.points} pts · {t.visible ? "visible" : "hidden"}</summary>
                  <pre>{JSON.stringify({ seeds: t.seeds, requirements: t.requirements }, null, 2)}</pre>
                  {t.scenario ? <pre className="source">{t.scenario}</pre> : null}
                </details>
              ))}
            </div>
          ) : null}
        </div>
        <aside className="stack">
          <div className="panel">
            <h3>Deadline</h3>
            <p>{formatDate(a.deadline)}</p>
            <p className="small muted" data-testid="late-policy">{a.latePolicyText} Submissions are judged by the time they are stored, not by when grading finishes.</p>
            <p className="small muted">At most {a.submissionsPerHour ?? SUBMISSIONS_PER_HOUR_DEFAULT} submissions per hour.</p>
          </div>
          <div className="panel">
            <h3>Sharing</h3>
            <p className="small muted" data-testid="sharing-policy">{a.sharingText}</p>
          </div>
          {a.isStaff ? <ReferenceCheck assignmentId={a.id} /> : null}
          {a.preview ? (
            <div className="panel">
              <h3>My submissions</h3>
              <p className="small muted">A student sees their submissions here, with their grades as they arrive.</p>
            </div>
          ) : null}
          {!a.isStaff && !a.preview ? (
            <div className="panel">
              <h3>My submissions</h3>
              <p className="small muted">Press Start, change the scenario, save, then use “Submit” on its page.</p>
              <MySubmissions assignmentId={a.id} />
            </div>
          ) : null}
        </aside>
      </div>
    </>
  );
}
