// A run's page is usually asked for the moment Run is pressed, and a small run ends tens of
// milliseconds later. Waiting that long for it, on the change feed (server/worker/signals.ts),
// lets the page render the result at once, instead of the live state, then its event stream
// (app/api/runs/[id]/events), then the result: on a busy machine that chain cost more than the run.
import type { Db } from "@/server/db";
import { isHeavy } from "./fairness";
import { changeFeed } from "./signals";

/** Longest a page waits for a run to end before showing it live. */
export const SETTLE_MS_MAX = 300;
/** Only a run queued this recently is waited for (its page opened right after Run was pressed). */
const SETTLE_RUN_AGE_MS_MAX = 5_000;

const ended = (status: string) => status === "done" || status === "failed" || status === "cancelled";

/**
 * Waits until a just-queued small single run ends, at most maxMs. True when it ended; false at
 * once for any other run (a sweep, a heavy run, an older one), or when the time ran out.
 */
export async function settleRun(db: Db, databaseUrl: string, runId: string, maxMs = SETTLE_MS_MAX, now = Date.now()): Promise<boolean> {
  const run = await db.run.findUnique({ where: { id: runId }, select: { status: true, kind: true, weight: true, createdAt: true } });
  if (!run) return false;
  if (ended(run.status)) return true;
  if (run.kind !== "single" || isHeavy(run.weight) || now - run.createdAt.getTime() > SETTLE_RUN_AGE_MS_MAX) return false;
  return new Promise<boolean>((resolve) => {
    let settled = false;
    let reading = false;
    let again = false;
    const finish = (result: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off();
      resolve(result);
    };
    const check = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const row = await db.run.findUnique({ where: { id: runId }, select: { status: true } });
          if (!row || ended(row.status)) return finish(Boolean(row));
        } while (again && !settled);
      } catch {
        finish(false);
      } finally {
        reading = false;
      }
    };
    // At the end, one last look: a change heard before the feed was listening is not lost.
    const timer = setTimeout(() => {
      db.run
        .findUnique({ where: { id: runId }, select: { status: true } })
        .then((row) => finish(Boolean(row && ended(row.status))), () => finish(false));
    }, maxMs);
    const off = changeFeed(databaseUrl).onRun((id) => (id === null || id === runId) && void check());
    // It may have ended between the first read and the subscription.
    void check();
  });
}
