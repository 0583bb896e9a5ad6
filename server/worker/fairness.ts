// Fair scheduling of the run queue (docs/queue.md). Every run is charged to a tenant (its
// owner, or the course of a grading run) and weighs what its scenario declares it may cost.
// Enqueueing gives it a virtual start tag (start-time fair queuing): a tenant's next run
// starts where its previous one finishes (tag + weight), never before the queue's head, so
// workers that claim the lowest tag first serve tenants in turn, in proportion to weight.
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/db/generated/sqlite/client";
import type { Scenario } from "@/server/sim";

/** Declared events that make one unit of weight (about 30 ms of one core). */
export const WEIGHT_EVENTS_PER_UNIT = 100_000;
/** Requests a closed-loop workload keeps in flight that make one unit of weight (memory, not time). */
export const WEIGHT_REQUESTS_IN_FLIGHT_PER_UNIT = 1_000;
/** The largest weight a run is given (the column is a 32-bit integer). */
export const WEIGHT_MAX = 1_000_000;
/**
 * A run this heavy or heavier is "heavy": at most a share of the worker slots run such runs at
 * once (HEAVY_SLOTS_SHARE). 100 units: ten million declared events (a sweep of ten 1M-event
 * seeds, a thousand 10k-event seeds) or 100,000 requests in flight.
 */
export const HEAVY_WEIGHT_MIN = 100;
/** Share of the live worker slots heavy runs may hold at once (at least one slot). */
export const HEAVY_SLOTS_SHARE = 0.5;
/**
 * Estimated events of one attempt of one open-loop request: the send and its delivery, the
 * server's processing, the answer's delivery, and the client's timer. Calibrated on the
 * templates (3.9 to 6 per attempt); tests/unit/fairness.test.ts keeps it an upper bound there.
 */
export const EVENTS_PER_REQUEST_ATTEMPT = 5;
/** Estimated extra events per downstream call a server makes before answering. */
export const EVENTS_PER_DOWNSTREAM_CALL = 3;
/** Estimated events of each fault (a crash and its restart, a window opening and closing). */
export const EVENTS_PER_FAULT = 2;

/** Who a run is charged to: the course for grading runs, so a deadline shares with everyone else. */
export function fairKeyOf(ownerId: string, courseId?: string | null): string {
  return courseId ? `c:${courseId}` : `u:${ownerId}`;
}

/**
 * The events one seed of `s` may process, from what it declares: `maxEvents` bounds every
 * run; an open-loop workload (a fixed number of requests) usually bounds it far lower.
 */
export function declaredEventsBound(s: Scenario): number {
  if (s.workload.some((w) => w.kind === "closed-loop")) return s.maxEvents;
  const p = s.protocol;
  if (p.kind !== "request-response") return nodesEventsEstimate(s);
  const calls = Object.values(p.server.calls).reduce((n, c) => n + c.length, 0);
  const copies = s.network.duplicate > 0 || s.network.links.some((l) => (l.duplicate ?? 0) > 0) || s.faults.some((f) => f.kind === "duplicate" || f.kind === "byzantine" || (f.kind === "random" && f.kinds.includes("duplicate"))) ? 2 : 1;
  let requests = 0;
  for (const w of s.workload) if (w.kind === "open-loop") requests += w.count;
  const estimate = requests * (p.client.retries + 1) * (EVENTS_PER_REQUEST_ATTEMPT + EVENTS_PER_DOWNSTREAM_CALL * calls) * copies + EVENTS_PER_FAULT * faultCount(s);
  return Math.max(1, Math.min(s.maxEvents, Math.ceil(estimate)));
}

/** Estimated events per operation of a node workload, per node (a broadcast reaches every node). */
export const EVENTS_PER_NODE_OPERATION = 6;
/** Estimated events per simulated second, per node, of a program's own timers (heartbeats, gossip). */
export const EVENTS_PER_NODE_SECOND = 40;

/**
 * A run of nodes: its workload's operations reach every node, and the nodes' timers tick until
 * the workload is done (its operations, the recovery and the final reads) or `until`.
 */
function nodesEventsEstimate(s: Scenario): number {
  let operations = 0;
  let endUs = 0;
  for (const w of s.workload) {
    if (!("rate" in w)) continue;
    operations += (w.rate * w.durationUs) / 1_000_000;
    endUs = Math.max(endUs, w.startUs + w.durationUs + w.recoveryUs + 2 * w.timeoutUs);
  }
  const seconds = Math.min(s.untilUs, endUs || s.untilUs) / 1_000_000;
  const n = s.nodes.length;
  const estimate = operations * n * EVENTS_PER_NODE_OPERATION + seconds * n * EVENTS_PER_NODE_SECOND + EVENTS_PER_FAULT * faultCount(s);
  return Math.max(1, Math.min(s.maxEvents, Math.ceil(estimate)));
}

/** Requests a scenario's closed-loop workloads keep in flight at once. */
export function declaredRequestsInFlight(s: Scenario): number {
  let n = 0;
  for (const w of s.workload) if (w.kind === "closed-loop") n += w.clients.length * w.outstanding;
  return n;
}

/** A run's weight in units: `seeds` seeds of `s` (a sweep's seed count, 1 for a single run). */
export function runWeight(s: Scenario, seeds: number): number {
  const byEvents = Math.ceil((seeds * declaredEventsBound(s)) / WEIGHT_EVENTS_PER_UNIT);
  const byMemory = Math.ceil(declaredRequestsInFlight(s) / WEIGHT_REQUESTS_IN_FLIGHT_PER_UNIT);
  return clampWeight(Math.max(byEvents, byMemory));
}

/** A grading run's weight: every test's seeds of the scenario it runs. */
export function gradingWeight(tests: { seeds: { count: number }; scenario: Scenario }[]): number {
  let events = 0;
  let memory = 0;
  for (const t of tests) {
    events += t.seeds.count * declaredEventsBound(t.scenario);
    memory = Math.max(memory, Math.ceil(declaredRequestsInFlight(t.scenario) / WEIGHT_REQUESTS_IN_FLIGHT_PER_UNIT));
  }
  return clampWeight(Math.max(Math.ceil(events / WEIGHT_EVENTS_PER_UNIT), memory));
}

function clampWeight(w: number): number {
  return Math.max(1, Math.min(WEIGHT_MAX, Number.isFinite(w) ? w : WEIGHT_MAX));
}

export function isHeavy(weight: number): boolean {
  return weight >= HEAVY_WEIGHT_MIN;
}

/** How many heavy runs may run at once, given the slots of the live workers. */
export function heavyRunsCap(liveSlots: number): number {
  return Math.max(1, Math.floor(liveSlots * HEAVY_SLOTS_SHARE));
}

type DbLike = Db | Prisma.TransactionClient;

/**
 * The virtual start tags of a tenant's next runs, one per weight: the first starts at the later
 * of the queue's virtual time (the head of the queue, or the last tag handed out when nothing
 * waits) and the end of the tenant's latest run; each next one where the previous one ends.
 */
export async function nextFairTags(db: DbLike, fairKey: string, weights: number[]): Promise<number[]> {
  const [runHead, shardHead, newest, own] = await Promise.all([
    db.run.findFirst({ where: { status: "queued" }, orderBy: { fairTag: "asc" }, select: { fairTag: true } }),
    // A sweep's shards wait in the queue too (server/worker/shards.ts).
    db.runShard.findFirst({ where: { status: "queued" }, orderBy: { fairTag: "asc" }, select: { fairTag: true } }),
    db.run.findFirst({ orderBy: { fairTag: "desc" }, select: { fairTag: true } }),
    db.run.findFirst({ where: { fairKey }, orderBy: { fairTag: "desc" }, select: { fairTag: true, weight: true } }),
  ]);
  const head = runHead && shardHead ? Math.min(runHead.fairTag, shardHead.fairTag) : (runHead ?? shardHead)?.fairTag;
  const virtualNow = head ?? newest?.fairTag ?? 0;
  let tag = Math.max(virtualNow, own ? own.fairTag + own.weight : 0);
  return weights.map((w) => {
    const t = tag;
    tag += w;
    return t;
  });
}

/** Faults a run may have: a random nemesis counts as the most it may draw. */
function faultCount(s: Scenario): number {
  return s.faults.reduce((n, f) => n + (f.kind === "random" ? f.max : 1), 0);
}
