// Exhaustive fault search within bounds, pure: every way to add up to K faults at the choice points of
// the first N messages (drop one, duplicate one, crash a node just before or just after it arrives),
// breadth first, each schedule run on the real engine; schedules that repeat a trace are not extended.
//
// Every fault the search adds is an ordinary fault entry (drop or duplicate with `match` and `nth`,
// crash with `at`), so a schedule it finds is a plain scenario that replays exactly (docs/search.md).

import { formatDuration } from "../scenario/duration";
import { NODE_WORKLOAD_KINDS, type Fault, type MessageMatch, type NodeWorkload, type Scenario } from "../scenario/types";
import { workloadModel } from "../workloads/models";
import { runScenario, type RunOptions, type RunSummary } from "../run";
import type { Trace } from "../trace/trace";
import { EV_CRASH, EV_DELIVER, EV_DROP, EV_DUPLICATE, EV_RESEND, EV_RESPOND, EV_RESTART, EV_SEND, NO_NODE } from "../trace/kinds";

/** At most this many faults added to one schedule. */
export const EXPLORE_MAX_FAULTS = 4;
/** At most this many messages of a run offer choice points. */
export const EXPLORE_MAX_DEPTH = 1000;
/** Schedules run by default before the search stops (and says it is incomplete). */
export const EXPLORE_SCHEDULES_DEFAULT = 100_000;
/** The most schedules one search may run. */
export const EXPLORE_SCHEDULES_MAX = 10_000_000;
/** Failing schedules listed (the shortest first). */
export const EXPLORE_FAILURES_LISTED = 20;

export const CHOICE_KINDS = ["drop", "duplicate", "crash"] as const;
export type ChoiceKind = (typeof CHOICE_KINDS)[number];

export interface ExploreOptions {
  /** K: at most this many faults are added to the scenario's own (0..EXPLORE_MAX_FAULTS). */
  faults: number;
  /** N: the first N messages sent in a run are its choice points (1..EXPLORE_MAX_DEPTH). */
  depth: number;
  /** Which faults to try (default all three). */
  kinds?: readonly ChoiceKind[];
  /** The nodes a crash may hit (default every declared node). */
  crashNodes?: readonly string[];
  /** A crash restarts the node this long after (µs); null (default): the node stays down. */
  restartUs?: number | null;
  /** Only these checks count as a failure (default every check of the scenario). */
  checks?: readonly string[];
  /** The seed every schedule runs with (default the scenario's). */
  seed?: number;
  /** Stop after running this many schedules (the result then says it is incomplete). */
  maxSchedules?: number;
  /**
   * Keep going after the level (number of added faults) where the first failure is found, to the
   * bound K. By default the search stops there: no schedule with fewer faults fails, which is the answer.
   */
  exhaustive?: boolean;
  /** Passed to every run: the program runtime, a faster SHA-256. */
  run?: Pick<RunOptions, "programs" | "sha256Hex">;
  /**
   * Called after every schedule run. `known`: the schedules known so far, explored plus the
   * candidates left at this level (an upper bound: sets of faults already run are skipped).
   */
  onProgress?: (p: { explored: number; level: number; known: number }) => void;
}

/** One fault the search added: the normalized fault, the entry as a scenario writes it, and in words. */
export interface AddedFault {
  fault: Fault;
  entry: Record<string, unknown>;
  describe: string;
}

export interface Schedule {
  faults: AddedFault[];
  summary: RunSummary;
  /** The counted checks that failed. */
  failed: string[];
}

export interface ExploreResult {
  /** Schedules run (distinct sets of added faults, the scenario as written included). */
  explored: number;
  /** Schedules run with 0, 1, .. K added faults. */
  byLevel: number[];
  /** Runs whose trace was one an earlier schedule had already given (not extended further). */
  repeatedTraces: number;
  /** Failing schedules found. */
  failing: number;
  /** True when every schedule within the bounds was run (or the search stopped at a level that fails). */
  complete: boolean;
  /** Why the search stopped: "bounds" (all run), "failure" (a level failed), "limit" (maxSchedules). */
  stoppedBy: "bounds" | "failure" | "limit";
  /** The shortest failing schedule: fewest added faults, then fewest events, then first found. */
  shortest: Schedule | null;
  /** Failing schedules with the fewest faults, shortest first (at most EXPLORE_FAILURES_LISTED). */
  failures: Schedule[];
}

/** A bad option: the caller's mistake, with the option named. */
export class ExploreOptionsError extends Error {
  override name = "ExploreOptionsError";
}

/** A choice at one of a run's first N messages, ordered by `ordinal` (message index, then option). */
export interface Choice {
  ordinal: number;
  /** Index of the message in send order. */
  message: number;
  added: AddedFault;
  /** What must show in the child's trace to prove the fault hit its mark. */
  expect: { kind: "drop" | "duplicate"; messageId: number } | { kind: "crash" };
}

interface Node {
  faults: AddedFault[];
  lastOrdinal: number;
  choices: Choice[];
}

/** The lowered maxEvents a schedule first runs with, at least (see runSchedule). */
export const EVENTS_ROOM_MIN = 1 << 12;

const SEND_KINDS = new Set([EV_SEND, EV_RESEND, EV_RESPOND]);

export function explore(scenario: Scenario, options: ExploreOptions): ExploreResult {
  const o = checkOptions(scenario, options);
  const counted = new Set(o.checks);
  const seen = new Set<string>();
  const digests = new Set<string>();
  const byLevel: number[] = [];
  const failures: Schedule[] = [];
  let explored = 0;
  let repeatedTraces = 0;
  let failing = 0;
  let stoppedBy: ExploreResult["stoppedBy"] = "bounds";
  let eventsRoom = EVENTS_ROOM_MIN;
  /** Candidates at the current level not yet taken (for onProgress's `known`). */
  let pending = 0;

  const run1 = (faults: AddedFault[]) => runSchedule(scenario, o, faults, eventsRoom);

  /** Runs one schedule; the node to extend, or null (failed, repeated a trace, or at the last level). */
  const visit = (faults: AddedFault[], lastOrdinal: number, level: number, check: Choice | null): Node | null => {
    const run = run1(faults);
    const trace = run.trace!;
    if (level === 0) eventsRoom = eventsRoomOf(run.summary.events);
    if (check) verifyHit(trace, scenario.faults.length + faults.length - 1, check);
    explored++;
    byLevel[level] = (byLevel[level] ?? 0) + 1;
    o.onProgress?.({ explored, level, known: explored + pending });
    const failed = run.summary.checks.filter((c) => !c.ok && counted.has(c.name)).map((c) => c.name);
    if (failed.length > 0) {
      failing++;
      failures.push({ faults, summary: run.summary, failed });
      return null;
    }
    const digest = run.summary.traceDigest!;
    if (digests.has(digest)) {
      repeatedTraces++;
      return null;
    }
    digests.add(digest);
    if (level >= o.faults) return null;
    return { faults, lastOrdinal, choices: choicePoints(scenario, trace, o, faults) };
  };

  let frontier: Node[] = [];
  const root = visit([], -1, 0, null);
  if (root) frontier.push(root);
  for (let level = 1; level <= o.faults && frontier.length > 0 && stoppedBy === "bounds"; level++) {
    if (failures.length > 0 && !o.exhaustive) {
      stoppedBy = "failure";
      break;
    }
    const next: Node[] = [];
    pending = 0;
    for (const parent of frontier) for (const choice of parent.choices) if (choice.ordinal > parent.lastOrdinal) pending++;
    for (const parent of frontier) {
      for (const choice of parent.choices) {
        if (choice.ordinal <= parent.lastOrdinal) continue;
        pending--;
        const faults = [...parent.faults, choice.added];
        const key = faultSetKey(faults);
        if (seen.has(key)) continue;
        if (explored >= o.maxSchedules) {
          stoppedBy = "limit";
          break;
        }
        seen.add(key);
        const child = visit(faults, choice.ordinal, level, choice);
        if (child) next.push(child);
      }
      if (stoppedBy === "limit") break;
    }
    frontier = next;
  }
  const fewest = failures.length === 0 ? 0 : Math.min(...failures.map((f) => f.faults.length));
  const listed = failures
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.faults.length === fewest)
    .sort((a, b) => a.f.summary.events - b.f.summary.events || a.i - b.i)
    .map(({ f }) => f);
  return {
    explored,
    byLevel,
    repeatedTraces,
    failing,
    complete: stoppedBy !== "limit",
    stoppedBy,
    shortest: listed[0] ?? null,
    failures: listed.slice(0, EXPLORE_FAILURES_LISTED),
  };
}

/**
 * Runs one schedule. A closed-loop run sizes its tables from maxEvents (engine/sizing.ts), which for a short run costs more than the run itself. So a
 * schedule first runs with maxEvents lowered to a few times what the first run needed (`eventsRoom`); one that
 * reaches that runs again as written (maxEvents only stops a run: below it, every event is the same).
 */
export function runSchedule(scenario: Scenario, o: Checked, faults: readonly AddedFault[], eventsRoom: number) {
  const s: Scenario = { ...scenario, faults: [...scenario.faults, ...faults.map((f) => f.fault)] };
  const options: RunOptions = { ...o.run, seed: o.seed, recordTrace: true };
  if (eventsRoom < scenario.maxEvents) {
    const r = runScenario({ ...s, maxEvents: eventsRoom }, options);
    if (r.summary.stoppedBy !== "maxEvents") return r;
  }
  return runScenario(s, options);
}

/** The maxEvents a schedule first runs with, from the events of the scenario as written (see runSchedule). */
export function eventsRoomOf(rootEvents: number): number {
  return Math.max(EVENTS_ROOM_MIN, rootEvents * 8);
}

export type Checked = Required<Omit<ExploreOptions, "onProgress" | "run">> & Pick<ExploreOptions, "onProgress" | "run">;

/** The key of a set of added faults: the same whichever order it was built in (its entries, sorted). */
export function faultSetKey(faults: readonly AddedFault[]): string {
  return faults.map((f) => JSON.stringify(f.entry)).sort().join("\n");
}

/** The search's options checked and with their defaults (also what a shard of a search runs with: explore-shards.ts). */
export function checkOptions(scenario: Scenario, options: ExploreOptions): Checked {
  const whole = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new ExploreOptionsError(`${name} must be a whole number from ${min} to ${max}, got ${v}`);
  };
  whole("faults", options.faults, 0, EXPLORE_MAX_FAULTS);
  whole("depth", options.depth, 1, EXPLORE_MAX_DEPTH);
  const maxSchedules = options.maxSchedules ?? EXPLORE_SCHEDULES_DEFAULT;
  whole("maxSchedules", maxSchedules, 1, EXPLORE_SCHEDULES_MAX);
  const seed = options.seed ?? scenario.seed;
  whole("seed", seed, 0, 0xffffffff);
  const kinds = [...(options.kinds ?? CHOICE_KINDS)];
  for (const k of kinds) if (!(CHOICE_KINDS as readonly string[]).includes(k)) throw new ExploreOptionsError(`kinds: "${k}" is not one of ${CHOICE_KINDS.join(", ")}`);
  if (kinds.length === 0) throw new ExploreOptionsError(`kinds: give at least one of ${CHOICE_KINDS.join(", ")}`);
  const declared = scenario.nodes.map((n) => n.id);
  const crashNodes = [...(options.crashNodes ?? declared)];
  for (const n of crashNodes) if (!declared.includes(n)) throw new ExploreOptionsError(`crash nodes: unknown node "${n}" (the scenario has ${declared.join(", ")})`);
  const restartUs = options.restartUs ?? null;
  if (restartUs !== null && (!Number.isInteger(restartUs) || restartUs <= 0)) throw new ExploreOptionsError(`restart must be a positive duration, got ${restartUs} µs`);
  const names = scenario.checks.map((c) => c.name as string);
  const checks = [...(options.checks ?? names)];
  for (const c of checks) if (!names.includes(c)) throw new ExploreOptionsError(`check "${c}" is not one of the scenario's checks (${names.join(", ") || "none"})`);
  if (checks.length === 0) throw new ExploreOptionsError("the scenario has no checks: there is nothing a schedule could fail");
  return { faults: options.faults, depth: options.depth, kinds, crashNodes, restartUs, checks, seed, maxSchedules, exhaustive: options.exhaustive ?? false, onProgress: options.onProgress, run: options.run };
}

const ORDINAL = ["1st", "2nd", "3rd"];
const nthWord = (n: number) => (n <= 3 ? ORDINAL[n - 1]! : `${n}th`);
const ms = (us: number) => formatDuration(us);

/** The choice points of one run: its first N messages, with the options each offers. */
export function choicePoints(scenario: Scenario, trace: Trace, o: Checked, already: AddedFault[]): Choice[] {
  const d = trace.data;
  const wantDrop = o.kinds.includes("drop");
  const wantDup = o.kinds.includes("duplicate");
  const wantCrash = o.kinds.includes("crash");
  const nodeIndex = new Map(d.nodes.map((id, i) => [id, i] as const));
  const crashable = o.crashNodes.map((id) => ({ id, index: nodeIndex.get(id)! }));
  const perMessage = 2 + 2 * crashable.length;
  /** Per message id: its position in send order, its send event, first delivery time and who was down then. */
  const order = new Map<number, { position: number; sendEvent: number; nth: number; deliveredUs: number; down: Uint8Array | null }>();
  const matched = new Map<string, number>();
  const down = new Uint8Array(d.nodes.length);
  let sent = 0;
  for (let i = 0; i < d.length; i++) {
    const k = d.kind[i]!;
    const ref = d.ref[i]!;
    if (SEND_KINDS.has(k) && sent < o.depth) {
      // `nth` counts what the fault's match will count: every message with the same from, to and
      // type (any type when the message has none), sent since the start.
      const e = trace.event(i, false);
      const type = messageType(e);
      const key = type === null ? `${e.from}\u0000${e.to}` : `${e.from}\u0000${e.to}\u0000${type}`;
      const nth = (matched.get(key) ?? 0) + 1;
      matched.set(key, nth);
      if (type !== null) matched.set(`${e.from}\u0000${e.to}`, (matched.get(`${e.from}\u0000${e.to}`) ?? 0) + 1);
      if (!order.has(ref)) order.set(ref, { position: sent++, sendEvent: i, nth, deliveredUs: -1, down: null });
    } else if (k === EV_DELIVER) {
      const m = order.get(ref);
      if (m && m.deliveredUs < 0) {
        m.deliveredUs = d.time[i]!;
        m.down = down.slice();
      }
    } else if (k === EV_CRASH || k === EV_RESTART) {
      const n = d.node[i]!;
      if (n !== NO_NODE) down[n] = k === EV_CRASH ? 1 : 0;
    }
  }
  const crashed = new Set(already.filter((f) => f.fault.kind === "crash").map((f) => JSON.stringify(f.entry)));
  const quietUs = quietFromUs(scenario);
  const out: Choice[] = [];
  for (const [messageId, m] of order) {
    // A message that never arrives (lost, in flight at the end) offers nothing: dropping it changes nothing.
    if (m.deliveredUs < 0) continue;
    // Nor does one sent once the faults have ended (a workload's final phase): no fault applies to it.
    if (d.time[m.sendEvent]! >= quietUs) continue;
    const e = trace.event(m.sendEvent, false);
    const from = e.from ?? null;
    const to = e.to ?? null;
    const type = messageType(e);
    const match: MessageMatch = { from, to, type, nth: m.nth };
    const entryMatch = { from, to, type, nth: m.nth };
    const what = `the ${nthWord(m.nth)} ${type ?? "message"} ${from}→${to} (sent at ${ms(d.time[m.sendEvent]!)})`;
    const base = m.position * perMessage;
    if (wantDrop) {
      out.push({
        ordinal: base,
        message: m.position,
        added: { fault: { kind: "drop", match, probability: 1, fromUs: 0, untilUs: null }, entry: { kind: "drop", match: entryMatch }, describe: `drop ${what}` },
        expect: { kind: "drop", messageId },
      });
    }
    if (wantDup) {
      out.push({
        ordinal: base + 1,
        message: m.position,
        added: { fault: { kind: "duplicate", match, fromUs: 0, untilUs: null }, entry: { kind: "duplicate", match: entryMatch }, describe: `duplicate ${what}` },
        expect: { kind: "duplicate", messageId },
      });
    }
    if (!wantCrash) continue;
    crashable.forEach((c, ci) => {
      if (m.down![c.index] === 1) return; // already down: crashing it again changes nothing
      for (const after of [0, 1]) {
        const atUs = m.deliveredUs + after;
        if (atUs >= scenario.untilUs || atUs >= quietUs) continue;
        const entry: Record<string, unknown> = { kind: "crash", node: c.id, at: ms(atUs) };
        if (o.restartUs !== null) entry.restart = ms(o.restartUs);
        if (crashed.has(JSON.stringify(entry))) continue;
        out.push({
          ordinal: base + 2 + 2 * ci + after,
          message: m.position,
          added: {
            fault: { kind: "crash", node: c.id, atUs, restartUs: o.restartUs },
            entry,
            describe: `crash ${c.id} at ${ms(atUs)}, just ${after ? "after" : "before"} ${what} arrives${o.restartUs !== null ? `, restart ${ms(o.restartUs)} later` : ""}`,
          },
          expect: { kind: "crash" },
        });
      }
    });
  }
  return out.sort((a, b) => a.ordinal - b.ordinal);
}

/**
 * When the faults end: a workload with final reads heals the network and every node at the end of
 * its invocations (server/sim/workloads/driver.ts), and no fault applies from then on.
 */
function quietFromUs(scenario: Scenario): number {
  const w = scenario.workload[0];
  if (!w || !(NODE_WORKLOAD_KINDS as readonly string[]).includes(w.kind)) return Infinity;
  const nw = w as NodeWorkload;
  return workloadModel(nw.kind, nw.keys).finalRead ? nw.startUs + nw.durationUs : Infinity;
}

function messageType(e: { messageType?: string; type?: string }): string | null {
  return e.messageType ?? e.type ?? null;
}

/**
 * The fault just added must hit the message it was chosen for: its `nth` was counted in the parent's
 * run, whose events up to that message the child's run repeats. A miss is a bug in the search.
 */
export function verifyHit(trace: Trace, fault: number, choice: Choice): void {
  const d = trace.data;
  const x = choice.expect;
  for (let i = 0; i < d.length; i++) {
    const k = d.kind[i]!;
    if (x.kind === "drop" && k === EV_DROP && d.ref[i] === x.messageId && (d.aux[i]! >> 3) - 1 === fault) return;
    if (x.kind === "duplicate" && k === EV_DUPLICATE && d.ref[i] === x.messageId && d.aux[i] === fault) return;
    if (x.kind === "crash" && k === EV_CRASH && d.ref[i] === fault) return;
  }
  throw new Error(`explore: the added fault #${fault} (${choice.added.describe}) did not hit its message; the search is wrong`);
}
