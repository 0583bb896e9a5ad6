// A queue worker: claims runs, simulates them off this process's event loop (worker
// threads, via server/worker/simulate.ts), keeps its lease alive while they run and while
// their result is stored, and stores each outcome fenced by its attempt. Idle slots wake when
// the change feed says a run was queued, or after a short poll; spare slots take only runs
// whose worker died, so they start again about one lease after the death even when every slot
// is busy. A run whose worker died is simulated in a process of its own: if it is what ends
// processes, it ends only that one, in sight of a live worker that fails it for it.
// `npm run worker` starts one; `npm start` starts one beside the web server.
import os from "node:os";
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { prepareThreads } from "@/server/runner";
import { deleteUnreachableTraceChunks } from "@/server/traces/store";
import { finishRun, renewLease, type ClaimedRun, type RunOutcome } from "./queue";
import { claimWork, type ClaimedWork } from "./claim";
import { finalizeStrandedSweeps, finishShard, renewShardLease, shardText, type ClaimedShard, type ShardOutcome } from "./shards";
import type { ChangeFeed } from "./signals";
import { simulateRun, simulateShard } from "./simulate";

export interface WorkerOptions {
  db: Db;
  leaseMs: number;
  /** Longest an idle slot waits before looking for work again (expired leases have no event). */
  pollMs: number;
  runTimeoutMs: number;
  /** Runs worked on at once. */
  slots: number;
  workerId?: string;
  log?: (line: string) => void;
  /** Memory one simulation thread may use, in MiB (unlimited when unset). */
  threadMemoryMb?: number;
  /** The simulation threads' CPU priority (nice, 0-19); this process's main thread keeps its own. */
  threadNice?: number;
  /** Failed attempts (errors) after which a run stays failed, when lower than the run's own. */
  maxFailures?: number;
  /** Lost leases (worker deaths) after which a run stays failed. */
  lostLeasesMax?: number;
  /** Heavy runs allowed at once across all workers (default: half the live slots). */
  heavyRunsMax?: number;
  /** Wakes idle slots when a run is queued (server/worker/signals.ts); without it they poll. */
  feed?: ChangeFeed;
}

const HEARTBEAT_MS = 5_000;
/**
 * Slots beside the regular ones that only take runs whose worker died, as many as the regular
 * ones: after several workers die at once the survivors start all their runs again within about
 * a lease, running more than their share for a while rather than keeping them waiting.
 */
const RESCUE_SLOTS_PER_SLOT = 1;
const PROGRESS_WRITE_MS = 500;
/** Renewals per lease: a lease survives two lost renewals. */
const LEASE_RENEWALS_PER_LEASE = 3;

export class QueueWorker {
  readonly id: string;
  private stopping = false;
  private readonly active = new Map<string, AbortController>();
  private loops: Promise<void>[] = [];
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly startedAt = new Date();
  private readonly log: (line: string) => void;
  private readonly sleepers = new Set<() => void>();
  private readonly stopWaiters = new Set<() => void>();
  private unsubscribe: () => void = () => undefined;

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.workerId ?? `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`;
    this.log = opts.log ?? ((line) => console.log(`[worker ${this.id}] ${line}`));
  }

  start(): void {
    // Bundling the simulation threads' code blocks this event loop for a moment: do it before
    // holding any lease, not while a run's lease needs renewing.
    prepareThreads({ spare: { memoryMb: this.opts.threadMemoryMb } });
    this.log(`started: ${this.opts.slots} slot(s), lease ${this.opts.leaseMs} ms`);
    if (this.opts.feed) this.unsubscribe = this.opts.feed.onQueue(() => this.wakeAll());
    void this.heartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.loops = [
      ...Array.from({ length: this.opts.slots }, (_, i) => this.loop(i, false)),
      ...Array.from({ length: Math.max(1, Math.round(this.opts.slots * RESCUE_SLOTS_PER_SLOT)) }, (_, i) => this.loop(this.opts.slots + i, true)),
    ];
    // Chunks of attempts that died before storing: nobody can read them.
    void deleteUnreachableTraceChunks(this.opts.db).catch((err) => this.log(`clearing unreachable trace chunks failed: ${String(err)}`));
  }

  /** Stops claiming; lets the runs in hand finish (or be claimed again after their lease if we are killed). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe();
    this.wakeAll();
    await Promise.all(this.loops);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.opts.db.workerHeartbeat.deleteMany({ where: { id: this.id } }).catch(() => undefined);
    this.log("stopped");
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
    if (this.stopping) for (const wake of [...this.stopWaiters]) wake();
  }

  /**
   * An idle slot's wait: until the feed says a run was queued, the poll interval passes, or we
   * stop. A rescue slot only polls: a lease running out makes no event.
   */
  private idle(pollOnly = false): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        this.stopWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.opts.pollMs * (0.5 + Math.random()));
      (pollOnly ? this.stopWaiters : this.sleepers).add(wake);
    });
  }

  private async heartbeat(): Promise<void> {
    const now = new Date();
    // A shard is held under "<run>#<index>": the heartbeat names the run.
    const runId = this.active.keys().next().value?.split("#")[0] ?? null;
    const slots = this.opts.slots;
    await this.opts.db.workerHeartbeat
      .upsert({
        where: { id: this.id },
        create: { id: this.id, host: os.hostname(), pid: process.pid, startedAt: this.startedAt, lastSeenAt: now, runId, slots },
        update: { lastSeenAt: now, runId, slots },
      })
      .catch((err) => this.log(`heartbeat failed: ${String(err)}`));
    // A sweep whose last shard's worker died between storing the shard and merging the sweep.
    await finalizeStrandedSweeps(this.opts.db).catch((err) => this.log(`finishing stranded sweeps failed: ${String(err)}`));
  }

  /** One slot: claims and works runs until stopped. A rescue slot takes only runs whose lease ran out. */
  private async loop(slot: number, rescue: boolean): Promise<void> {
    while (!this.stopping) {
      let claimed: ClaimedWork | null = null;
      try {
        claimed = await claimWork(this.opts.db, this.id, this.opts.leaseMs, new Date(), {
          heavyRunsMax: this.opts.heavyRunsMax,
          lostLeasesMax: this.opts.lostLeasesMax,
          expiredOnly: rescue,
        });
      } catch (err) {
        this.log(`slot ${slot}: claim failed: ${String(err)}`);
      }
      if (!claimed) {
        if (!this.stopping) await this.idle(rescue);
        continue;
      }
      if (claimed.kind === "run") await this.work(claimed.run);
      else await this.workShard(claimed.shard);
    }
  }

  /** One shard of a sweep or an exploration: as a run, with its own lease, fenced by its own attempt. */
  private async workShard(shard: ClaimedShard): Promise<void> {
    const { db, leaseMs } = this.opts;
    const abort = new AbortController();
    const key = `${shard.runId}#${shard.index}`;
    this.active.set(key, abort);
    const isolate = shard.lostLeases > 0;
    this.log(`${shard.kind} ${shard.runId} shard ${shard.index} attempt ${shard.attempt}: ${shardText(shard).toLowerCase()}${isolate ? ", isolated" : ""}`);
    let seedsDone = 0;
    let lastWrite = 0;
    let lost = false;
    const keepLease = async (withProgress: boolean) => {
      const owned = await renewShardLease(db, shard, leaseMs, withProgress ? seedsDone : undefined).catch(() => true);
      if (!owned && !lost) {
        lost = true;
        this.log(`${shard.kind} ${shard.runId} shard ${shard.index} attempt ${shard.attempt}: lease lost (a newer attempt, or the sweep was cancelled or failed); abandoning`);
        abort.abort();
      }
    };
    const leaseTimer = setInterval(() => void keepLease(false), Math.max(200, Math.floor(leaseMs / LEASE_RENEWALS_PER_LEASE)));
    try {
      let outcome: ShardOutcome;
      try {
        outcome = await simulateShard(shard, {
          deadlineMs: this.opts.runTimeoutMs,
          signal: abort.signal,
          memoryMb: this.opts.threadMemoryMb,
          nice: this.opts.threadNice,
          isolate,
          onProgress: (done) => {
            seedsDone = Math.max(seedsDone, done);
            const now = Date.now();
            if (now - lastWrite >= PROGRESS_WRITE_MS) {
              lastWrite = now;
              void keepLease(true);
            }
          },
        });
      } catch (err) {
        outcome = { ok: false, error: "The worker failed while running these seeds; they will be tried again.", retryable: true };
        this.log(`${shard.kind} ${shard.runId} shard ${shard.index}: unexpected error: ${err instanceof Error ? err.stack : String(err)}`);
      }
      if (lost) return;
      const opts = { maxFailures: this.opts.maxFailures };
      let stored: boolean;
      try {
        stored = await finishShard(db, shard, outcome, new Date(), opts);
      } catch (err) {
        this.log(`${shard.kind} ${shard.runId} shard ${shard.index}: storing the result failed: ${String(err)}`);
        const failed: ShardOutcome = { ok: false, error: "The result could not be stored (a database error); the seeds will be tried again.", retryable: true };
        stored = await finishShard(db, shard, failed, new Date(), opts).catch(() => false);
      }
      this.log(`${shard.kind} ${shard.runId} shard ${shard.index} attempt ${shard.attempt}: ${outcome.ok ? "done" : `failed: ${outcome.error}`}${stored ? "" : " (not stored: the shard is no longer this attempt's)"}`);
    } finally {
      clearInterval(leaseTimer);
      this.active.delete(key);
    }
  }

  private async work(run: ClaimedRun): Promise<void> {
    const { db, leaseMs } = this.opts;
    const abort = new AbortController();
    this.active.set(run.id, abort);
    // A run whose worker died before: in a process of its own, in case it is what ends them.
    const isolate = run.lostLeases > 0;
    this.log(`run ${run.id} attempt ${run.attempt}: ${run.kind}${run.kind === "sweep" ? ` of ${run.seedCount} seeds` : ""}, seed ${run.seed}${isolate ? ", isolated" : ""}`);
    let progress = 0;
    let detail: unknown = undefined;
    let lastWrite = 0;
    let lost = false;
    const keepLease = async () => {
      const owned = await renewLease(db, run.id, run.attempt, leaseMs, progress, detail).catch(() => true);
      if (!owned && !lost) {
        lost = true;
        this.log(`run ${run.id} attempt ${run.attempt}: lease lost to a newer attempt; abandoning`);
        abort.abort();
      }
    };
    // The lease is kept until the outcome is stored: storing a large trace takes a while.
    const leaseTimer = setInterval(() => void keepLease(), Math.max(200, Math.floor(leaseMs / LEASE_RENEWALS_PER_LEASE)));
    try {
      let outcome: RunOutcome;
      try {
        outcome = await simulateRun(run, {
          deadlineMs: this.opts.runTimeoutMs,
          signal: abort.signal,
          memoryMb: this.opts.threadMemoryMb,
          nice: this.opts.threadNice,
          isolate,
          onDetail: (summary) => {
            detail = summary;
          },
          onProgress: (fraction) => {
            // An exploration's fraction falls when a new level's schedules become known.
            progress = run.kind === "explore" ? Math.min(0.99, Math.max(0, fraction)) : Math.min(0.99, Math.max(progress, fraction));
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
      }
      if (lost) return;
      const stored = await this.store(run, outcome);
      this.log(`run ${run.id} attempt ${run.attempt}: ${outcome.ok ? `done, checks ${outcome.verdict === "pass" ? "hold" : "failed"}` : `failed: ${outcome.error}`}${stored ? "" : " (not stored: a newer attempt owns it)"}`);
    } finally {
      clearInterval(leaseTimer);
      this.active.delete(run.id);
    }
  }

  /** Stores an outcome; when storing itself fails, the attempt counts as failed and may be retried. */
  private async store(run: ClaimedRun, outcome: RunOutcome): Promise<boolean> {
    const { db } = this.opts;
    const opts = { maxFailures: this.opts.maxFailures };
    try {
      return await finishRun(db, run.id, run.attempt, outcome, new Date(), opts);
    } catch (err) {
      this.log(`run ${run.id}: storing the result failed: ${String(err)}`);
      const failed: RunOutcome = { ok: false, error: "The result could not be stored (a database error); the run will be tried again.", retryable: true };
      return finishRun(db, run.id, run.attempt, failed, new Date(), opts).catch(() => false);
    }
  }
}
