// Deadline spike: several hundred students submit in a burst, over HTTP through the real tRPC
// endpoint with real session cookies; prints acknowledgement latency, throughput, errors, and how
// long grading all of them took. `npm run bench -- submissions`. Settings (environment):
//   BENCH_STUDENTS (300), BENCH_RATE submissions/s (20), BENCH_PORT (3911), BENCH_GRADING_TIMEOUT_S (900),
//   BENCH_URL to use a running server instead (then DATABASE_URL and NEXTAUTH_SECRET must be its own).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const title = "deadline spike: course submissions";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 300);
const RATE_PER_S = Number(process.env.BENCH_RATE ?? 20);
const PORT = Number(process.env.BENCH_PORT ?? 3911);
/** How long to wait for the server to answer its health check, and for grading to finish. */
const SERVER_START_TIMEOUT_MS = 600_000;
const GRADING_TIMEOUT_MS = Number(process.env.BENCH_GRADING_TIMEOUT_S ?? 900) * 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function waitForHealth(base: string, child: ChildProcess | null): Promise<void> {
  const end = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < end) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was healthy`);
    // The database must answer; the grading wait below tells whether a worker does.
    const ok = await fetch(`${base}/api/health`).then(async (r) => ((await r.json()) as { database?: { ok?: boolean } }).database?.ok === true, () => false);
    if (ok) return;
    await sleep(500);
  }
  throw new Error(`no healthy server at ${base} after ${SERVER_START_TIMEOUT_MS / 1000} s`);
}

export async function run(): Promise<void> {
  let child: ChildProcess | null = null;
  let base = process.env.BENCH_URL?.replace(/\/$/, "");
  // The session secret: NEXTAUTH_SECRET, or the one this checkout's servers keep in data/.
  const { ensureAuthSecret } = await import("../lib/prepare");
  ensureAuthSecret();
  if (!base) {
    base = `http://localhost:${PORT}`;
    process.env.DATABASE_URL = "file:./data/bench.db";
    console.log(`starting a server on ${base} (SQLite data/bench.db, reset; builds the app if its sources changed)…`);
    child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--reset"], {
      cwd: ROOT,
      // NEXT_DIST_DIR (inherited) builds apart from another server's build when set.
      env: { ...process.env, PORT: String(PORT), NEXTAUTH_URL: base, FAULTLINE_DEMO: "0", WORKER_POLL_MS: "100" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
  }
  try {
    await waitForHealth(base, child);
    await bench(base);
  } finally {
    if (child?.pid && child.exitCode === null) {
      process.kill(-child.pid, "SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
  }
}

async function bench(base: string): Promise<void> {
  const { createDb } = await import("@/server/db/client");
  const { encode } = await import("next-auth/jwt");
  const { newId } = await import("@/server/courses/submissions");
  const { newJoinCode } = await import("@/server/courses/access");
  const { demoBreakIt } = await import("@/server/courses/examples");
  const { checkDefinition } = await import("@/server/courses/definition");
  const { newShareToken } = await import("@/server/api/access");
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set");
  const db = createDb(process.env.DATABASE_URL ?? "file:./data/faultline.db");

  // Setup, straight into the database: a course, a break-it assignment, students with their
  // working copy already edited to pass (the drop of the first response).
  const tag = randomBytes(3).toString("hex");
  const t0 = performance.now();
  const instructor = await db.user.create({ data: { email: `bench-instructor-${tag}@bench.faultline`, name: "Bench Instructor" }, select: { id: true } });
  const def = demoBreakIt(new Date(Date.now() + 86_400_000));
  const checked = checkDefinition("break-it", def);
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  const course = await db.course.create({
    data: {
      ownerId: instructor.id, title: `Bench course ${tag}`, joinCode: newJoinCode(), members: { create: { userId: instructor.id, role: "instructor" } },
      assignments: {
        create: {
          kind: "break-it", title: def.title, starterSource: def.starterSource, deadline: def.deadline, latePolicy: JSON.stringify(def.latePolicy),
          rules: JSON.stringify(checked.rules), tests: JSON.stringify(checked.tests), submissionsPerHour: 1000,
        },
      },
    },
    select: { id: true, assignments: { select: { id: true } } },
  });
  const assignmentId = course.assignments[0]!.id;
  const source = def.starterSource.replace("faults: []", "faults:\n  - { kind: drop, match: { from: C2, to: C1, type: response, nth: 1 } }");
  const students = Array.from({ length: STUDENTS }, (_, i) => ({ id: newId(), email: `bench-${tag}-${i}@bench.faultline`, name: `Student ${i}`, scenarioId: newId() }));
  for (let i = 0; i < students.length; i += 200) {
    const chunk = students.slice(i, i + 200);
    await db.user.createMany({ data: chunk.map((s) => ({ id: s.id, email: s.email, name: s.name })) });
    await db.courseMember.createMany({ data: chunk.map((s) => ({ courseId: course.id, userId: s.id, role: "student" })) });
    await db.scenario.createMany({ data: chunk.map((s) => ({ id: s.scenarioId, ownerId: s.id, name: def.title, shareToken: newShareToken(), assignmentId, faultKinds: ",drop," })) });
    await db.scenarioVersion.createMany({ data: chunk.map((s) => ({ scenarioId: s.scenarioId, number: 1, source, name: def.title })) });
  }
  // Session cookies as next-auth makes them: a JWT signed with the server's secret.
  const cookies = await Promise.all(students.map(async (s) => `next-auth.session-token=${await encode({ token: { sub: s.id, uid: s.id, name: s.name, email: s.email }, secret })}`));
  console.log(`setup: ${STUDENTS} students, a course and a break-it assignment in ${fmt(performance.now() - t0)}`);

  // Warm the route up (first requests compile nothing in production, but open connections and caches).
  await fetch(`${base}/api/trpc/course.list`, { headers: { cookie: cookies[0]! } });

  // The burst: one submission every 1/RATE s, each from its own student, all over HTTP.
  const latencies: number[] = [];
  const errors: string[] = [];
  const submissionIds: string[] = [];
  const intervalMs = 1000 / RATE_PER_S;
  const burstStart = performance.now();
  let lastAck = burstStart;
  await Promise.all(
    students.map(async (s, i) => {
      const due = burstStart + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const sent = performance.now();
      try {
        const res = await fetch(`${base}/api/trpc/assignment.submit`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: cookies[i]! },
          body: JSON.stringify({ assignmentId, scenarioId: s.scenarioId }),
        });
        const body = (await res.json()) as { result?: { data?: { id?: string; submittedAt?: string } }; error?: { message?: string } };
        const done = performance.now();
        latencies.push(done - sent);
        lastAck = Math.max(lastAck, done);
        if (!res.ok || !body.result?.data?.id || !body.result.data.submittedAt) errors.push(`${res.status}: ${body.error?.message ?? "no submission id in the answer"}`);
        else submissionIds.push(body.result.data.id);
      } catch (err) {
        latencies.push(performance.now() - sent);
        errors.push(String(err));
      }
    }),
  );
  const burstMs = lastAck - burstStart;
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(`burst: ${STUDENTS} submissions at a target of ${RATE_PER_S}/s over HTTP (tRPC assignment.submit, session cookies)`);
  console.log(`  acknowledgement latency: p50 ${fmt(percentile(sorted, 50))}, p95 ${fmt(percentile(sorted, 95))}, p99 ${fmt(percentile(sorted, 99))}, max ${fmt(sorted[sorted.length - 1] ?? NaN)}`);
  console.log(`  throughput: ${(submissionIds.length / (burstMs / 1000)).toFixed(1)} acknowledged submissions/s (${submissionIds.length} in ${(burstMs / 1000).toFixed(1)} s)`);
  console.log(`  errors: ${errors.length}${errors.length ? ` (first: ${[...new Set(errors)].slice(0, 3).join(" | ")})` : ""}`);
  const stored = await db.submission.count({ where: { assignmentId } });
  console.log(`  stored submissions: ${stored} (every acknowledged one: ${stored === submissionIds.length ? "yes" : "NO"})`);

  // Grading: the worker started beside the web server grades them from the queue.
  const end = Date.now() + GRADING_TIMEOUT_MS;
  let finished = 0;
  let failed = 0;
  while (Date.now() < end) {
    const rows = await db.run.groupBy({ by: ["status"], where: { submissionId: { in: submissionIds } }, _count: true });
    finished = rows.filter((r) => r.status === "done" || r.status === "failed").reduce((n, r) => n + r._count, 0);
    failed = rows.find((r) => r.status === "failed")?._count ?? 0;
    if (finished === submissionIds.length) break;
    await sleep(250);
  }
  const gradingMs = performance.now() - burstStart;
  const full = await db.run.count({ where: { submissionId: { in: submissionIds }, verdict: "pass" } });
  console.log(`grading: ${finished} of ${submissionIds.length} graded ${(gradingMs / 1000).toFixed(1)} s after the burst began (${(finished / (gradingMs / 1000)).toFixed(1)}/s), ${full} with full marks, ${failed} failed`);
  await db.$disconnect();
}
