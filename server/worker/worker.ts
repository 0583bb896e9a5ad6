// A queue worker: claims runs, simulates them off this process's event loop (worker
// threads, via server/simulate.ts), keeps its lease alive while they run, and stores
// each outcome fenced by its attempt. `npm run worker` starts one; `npm start` starts
// one beside the web server. Any number may share one database.
import os from "node:os";
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { claimRun, finishRun, renewLease, type ClaimedRun, type RunOutcome } from "./queue";
import { simulateRun } from "./simulate";

export interface WorkerOptions {
  db: Db;
  leaseMs: number;
  pollMs: number;
  runTimeoutMs: number;
  /** Runs worked on at once. */
  slots: number;
  workerId?: string;
  log?: (line: string) => void;
}

const HEARTBEAT_MS = 5_000;
const PROGRESS_WRITE_MS = 500;

export class QueueWorker {
  readonly id: string;
  private stopping = false;
  private readonly active = new Map<string, AbortController>();
  private loops: Promise<void>[] = [];
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly startedAt = new Date();
  private readonly log: (line: string) => void;

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.workerId ?? `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`;
    this.log = opts.log ?? ((line) => console.log(`[worker ${this.id}] ${line}`));
  }

  start(): void {
    this.log(`started: ${this.opts.slots} slot(s), lease ${this.opts.leaseMs} ms`);
    void this.heartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.loops = Array.from({ length: this.opts.slots }, (_, i) => this.loop(i));
  }

  /** Stops claiming; lets the runs in hand finish (or be claimed again after their lease if we are killed). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.opts.db.workerHeartbeat.deleteMany({ where: { id: this.id } }).catch(() => undefined);
    this.log("stopped");
  }

  private async heartbeat(): Promise<void> {
    const now = new Date();
    const runId = this.active.keys().next().value ?? null;
    await this.opts.db.workerHeartbeat
      .upsert({
        where: { id: this.id },
        create: { id: this.id, host: os.hostname(), pid: process.pid, startedAt: this.startedAt, lastSeenAt: now, runId },
        update: { lastSeenAt: now, runId },
      })
      .catch((err) => this.log(`heartbeat failed: ${String(err)}`));
  }

  private async loop(slot: number): Promise<void> {
    while (!this.stopping) {
      let claimed: ClaimedRun | null = null;
      try {
        claimed = await claimRun(this.opts.db, this.id, this.opts.leaseMs);
      } catch (err) {
        this.log(`slot ${slot}: claim failed: ${String(err)}`);
      }
      if (!claimed) {
        await sleep(this.opts.pollMs * (0.5 + Math.random()));
        continue;
      }
      await this.work(claimed);
    }
  }

  private async work(run: ClaimedRun): Promise<void> {
    const { db, leaseMs } = this.opts;
    const abort = new AbortController();
    this.active.set(run.id, abort);
    this.log(`run ${run.id} attempt ${run.attempt}: ${run.kind}${run.kind === "sweep" ? ` of ${run.seedCount} seeds` : ""}, seed ${run.seed}`);
    let progress = 0;
    let lastWrite = 0;
    let lost = false;
    const keepLease = async () => {
      const owned = await renewLease(db, run.id, run.attempt, leaseMs, progress).catch(() => true);
      if (!owned && !lost) {
        lost = true;
        this.log(`run ${run.id} attempt ${run.attempt}: lease lost to a newer attempt; abandoning`);
        abort.abort();
      }
    };
    const leaseTimer = setInterval(() => void keepLease(), Math.max(200, Math.floor(leaseMs / 3)));
    let outcome: RunOutcome;
    try {
      outcome = await simulateRun(run, {
        deadlineMs: this.opts.runTimeoutMs,
        signal: abort.signal,
        onProgress: (fraction) => {
          progress = Math.min(0.99, Math.max(progress, fraction));
          const now = Date.now();
          if (now - lastWrite >= PROGRESS_WRITE_MS) {
            lastWrite = now;
            void keepLease();
          }
        },
      });
    } catch (err) {
      outcome = { ok: false, error: "The worker failed while running this scenario; it will be tried again.", retryable: true };
      this.log(`run ${run.id}: unexpected error: ${err instanceof Error ? err.stack : String(err)}`);
    } finally {
      clearInterval(leaseTimer);
    }
    if (!lost) {
      const stored = await finishRun(db, run.id, run.attempt, outcome).catch((err) => {
        this.log(`run ${run.id}: storing the result failed: ${String(err)}`);
        return false;
      });
      this.log(`run ${run.id} attempt ${run.attempt}: ${outcome.ok ? `done, checks ${outcome.verdict === "pass" ? "hold" : "failed"}` : `failed: ${outcome.error}`}${stored ? "" : " (not stored: a newer attempt owns it)"}`);
    }
    this.active.delete(run.id);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
