// Health: is the database reachable, and is at least one worker alive? 200 when both,
// 503 otherwise, with the details as JSON (for load balancers and for people).
import { db, dbProvider } from "@/server/db";
import { guardedRoute } from "@/server/http/route";

export const dynamic = "force-dynamic";

const WORKER_ALIVE_MS = 20_000;

async function get() {
  const started = Date.now();
  try {
    const since = new Date(Date.now() - WORKER_ALIVE_MS);
    const [workers, queued, running] = await Promise.all([
      db.workerHeartbeat.findMany({ where: { lastSeenAt: { gte: since } }, select: { id: true, lastSeenAt: true, runId: true } }),
      db.run.count({ where: { status: "queued" } }),
      db.run.count({ where: { status: "running" } }),
    ]);
    const body = {
      ok: workers.length > 0,
      database: { ok: true, provider: dbProvider, latencyMs: Date.now() - started },
      workers: { ok: workers.length > 0, alive: workers.length, busy: workers.filter((w) => w.runId).length },
      queue: { queued, running },
    };
    return Response.json(body, { status: body.ok ? 200 : 503 });
  } catch (err) {
    console.error("[health] database check failed:", err);
    return Response.json({ ok: false, database: { ok: false, provider: dbProvider }, workers: { ok: false } }, { status: 503 });
  }
}

export const GET = guardedRoute(get);
