// What a free worker slot takes next, across runs and sweep shards, in one fair order
// (docs/queue.md): first whatever a dead worker left (runs, then shards), then the lowest fair
// tag among queued runs and queued shards (a run before a shard at the same tag).
import type { Db } from "@/server/db";
import { claimRun, type ClaimedRun, type ClaimOptions } from "./queue";
import { claimShard, queuedShardsHead, type ClaimedShard } from "./shards";

export type ClaimedWork = { kind: "run"; run: ClaimedRun } | { kind: "shard"; shard: ClaimedShard };

export async function claimWork(db: Db, workerId: string, leaseMs: number, now = new Date(), opts: ClaimOptions = {}): Promise<ClaimedWork | null> {
  const run = (r: ClaimedRun | null): ClaimedWork | null => (r ? { kind: "run", run: r } : null);
  const shard = (s: ClaimedShard | null): ClaimedWork | null => (s ? { kind: "shard", shard: s } : null);
  const shardOpts = { lostLeasesMax: opts.lostLeasesMax };
  const rescued = run(await claimRun(db, workerId, leaseMs, now, { ...opts, expiredOnly: true })) ?? shard(await claimShard(db, workerId, leaseMs, now, { ...shardOpts, expiredOnly: true }));
  if (rescued || opts.expiredOnly) return rescued;
  const head = await queuedShardsHead(db);
  if (head === null) return run(await claimRun(db, workerId, leaseMs, now, opts));
  // Queued runs up to the first queued shard's tag, then shards, then (when other workers took
  // every shard candidate) any queued run.
  return (
    run(await claimRun(db, workerId, leaseMs, now, { ...opts, fairTagMax: head })) ??
    shard(await claimShard(db, workerId, leaseMs, now, { ...shardOpts, queuedOnly: true })) ??
    run(await claimRun(db, workerId, leaseMs, now, opts))
  );
}
