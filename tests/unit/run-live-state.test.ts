// A run's live state (what the run page's event stream pushes) never pairs a live status with the
// final summary: a run that ends between its two reads is read again, whole. The explore panel once
// crashed on a "running" state carrying an exploration's final summary (seen in a CI browser test).
import { describe, expect, it } from "vitest";
import { runLiveState } from "@/server/worker/queue";
import type { Db } from "@/server/db/client";

const LIVE = { kind: "explore", request: { faults: 2, depth: 6 }, progress: { explored: 1, known: 3, level: 1 } };
const FINAL = { kind: "explore", request: { faults: 2, depth: 6 }, explored: 3, shards: { count: 2, runs: 3, wallSeconds: 0.1 } };

/** A database whose run ends just after the first read of it, as a worker's final write would. */
function endingDb(): { db: Db; reads: number } {
  const row = { id: "r1", status: "running", progress: 0.5, attempt: 1, error: null, verdict: null, fairTag: 0, createdAt: new Date(0), shardCount: 2, kind: "explore", summary: JSON.stringify(LIVE) };
  const state = { db: null as unknown as Db, reads: 0 };
  const findUnique = async ({ select }: { select: Record<string, boolean> }) => {
    state.reads++;
    const out = Object.fromEntries(Object.keys(select).map((k) => [k, row[k as keyof typeof row]]));
    if (state.reads === 1) Object.assign(row, { status: "done", progress: 1, verdict: "fail", summary: JSON.stringify(FINAL) });
    return out;
  };
  state.db = { run: { findUnique } } as unknown as Db;
  return state;
}

describe("runLiveState", () => {
  it("reads a run that ended between its reads again, so a live status never carries the final summary", async () => {
    const s = endingDb();
    const state = await runLiveState(s.db, "r1");
    expect(state).toMatchObject({ status: "done", progress: 1, verdict: "fail", queuePosition: null });
    expect(state).not.toHaveProperty("summary");
    expect(s.reads).toBe(3);
  });
});
