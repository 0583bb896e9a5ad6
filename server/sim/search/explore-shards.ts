// An exhaustive search (explore.ts) cut into slices that any number of workers run, pure. The search
// is breadth first, so it goes level by level (the number of added faults); a level's candidates,
// the children of the previous level's extended schedules in the order explore() takes them, are
// numbered 0..C-1, and a slice runs a range of those numbers. A slice re-runs the parents whose
// children fall in its range (a run is a pure function of its faults, so it finds the same choice
// points the parent's own run did), runs the children, and reports each one's key, trace digest,
// verdict and number of children. Merging the slices of a level in index order then decides, as
// explore() does one schedule at a time, which runs count (the first of a set of faults), which
// repeat a trace, which fail and which are extended at the next level, and where the schedule
// budget stops the search. So the merged result is explore()'s, field for field (docs/search.md,
// "Explorations in shards"); tests/sim/explore-shards.test.ts compares them.
//
// Everything here is plain data that crosses a thread or a database row as JSON.

import type { Scenario } from "../scenario/types";
import type { RunSummary } from "../run";
import {
  checkOptions,
  choicePoints,
  eventsRoomOf,
  EVENTS_ROOM_MIN,
  EXPLORE_FAILURES_LISTED,
  faultSetKey,
  runSchedule,
  verifyHit,
  type AddedFault,
  type ExploreOptions,
  type ExploreResult,
  type Schedule,
} from "./explore";

/** The search's options a slice runs with: explore()'s, without its callbacks. */
export type ExploreSliceOptions = Omit<ExploreOptions, "onProgress" | "run">;

/** A schedule the search extends at the next level: its faults, its last choice, its children's count. */
export interface SliceNode {
  faults: AddedFault[];
  lastOrdinal: number;
  children: number;
}

/** One slice: candidates from..from+count-1 of a level. */
export interface ExploreSlice {
  level: number;
  from: number;
  count: number;
  /** The frontier's nodes whose children overlap the range, in order; `parentsFrom` is the number of parents[0]'s first child. */
  parents: SliceNode[];
  parentsFrom: number;
  /** The lowered maxEvents each schedule first runs with (explore.ts runSchedule); it changes no result. */
  eventsRoom: number;
}

/** What a slice found about one candidate it ran. */
export interface SliceVisit {
  /** The candidate's number in its level. */
  index: number;
  key: string;
  /** Added faults: of a failing schedule, or of a passing one that may be extended. */
  faults?: AddedFault[];
  lastOrdinal: number;
  /** Checks counted that failed (empty: it passed). */
  failed: string[];
  /** The trace digest of a passing schedule. */
  digest: string | null;
  events: number;
  /** A passing schedule's candidates at the next level (0 at the last level). */
  children: number;
  /**
   * A failing schedule's summary. Every failing one keeps it: a slice cannot tell which of its
   * schedules an earlier slice already ran, so it cannot cut its own list to the shortest.
   */
  summary?: RunSummary;
}

export interface ExploreSliceResult {
  /** The candidates run, in order; a set of faults met twice within the slice is run (and listed) once. */
  visits: SliceVisit[];
  /** Runs of the scenario, the parents' re-runs included. */
  runs: number;
}

/** Runs one slice of a search. `onProgress`: candidates of the range done so far. */
export function exploreSlice(scenario: Scenario, options: ExploreSliceOptions & Pick<ExploreOptions, "run">, slice: ExploreSlice, onProgress?: (done: number) => void): ExploreSliceResult {
  const o = checkOptions(scenario, options);
  const counted = new Set(o.checks);
  const visits: SliceVisit[] = [];
  const seen = new Set<string>();
  let runs = 0;
  let done = 0;
  const end = slice.from + slice.count;

  const visit = (index: number, faults: AddedFault[], lastOrdinal: number, check: Parameters<typeof verifyHit>[2] | null) => {
    const run = runSchedule(scenario, o, faults, slice.level === 0 ? EVENTS_ROOM_MIN : slice.eventsRoom);
    runs++;
    const trace = run.trace!;
    if (check) verifyHit(trace, scenario.faults.length + faults.length - 1, check);
    const failed = run.summary.checks.filter((c) => !c.ok && counted.has(c.name)).map((c) => c.name);
    const key = faultSetKey(faults);
    if (failed.length > 0) {
      visits.push({ index, key, faults, lastOrdinal, failed, digest: null, events: run.summary.events, children: 0, summary: run.summary });
      return;
    }
    const extendable = slice.level < o.faults;
    const children = extendable ? choicePoints(scenario, trace, o, faults).filter((c) => c.ordinal > lastOrdinal).length : 0;
    visits.push({ index, key, ...(extendable ? { faults } : {}), lastOrdinal, failed, digest: run.summary.traceDigest!, events: run.summary.events, children });
  };

  if (slice.level === 0) {
    if (slice.from === 0 && slice.count >= 1) visit(0, [], -1, null);
    onProgress?.(1);
  } else {
    let at = slice.parentsFrom;
    for (const parent of slice.parents) {
      const first = at;
      at += parent.children;
      if (at <= slice.from || first >= end) continue;
      // The parent's run again: the same trace, so the same choice points its own run offered.
      const again = runSchedule(scenario, o, parent.faults, slice.eventsRoom);
      runs++;
      const choices = choicePoints(scenario, again.trace!, o, parent.faults).filter((c) => c.ordinal > parent.lastOrdinal);
      if (choices.length !== parent.children) throw new Error(`explore: a parent's run offered ${choices.length} choices, not the ${parent.children} it offered before; the search is wrong`);
      choices.forEach((choice, k) => {
        const index = first + k;
        if (index < slice.from || index >= end) return;
        const faults = [...parent.faults, choice.added];
        const key = faultSetKey(faults);
        if (!seen.has(key)) {
          seen.add(key);
          visit(index, faults, choice.ordinal, choice);
        }
        onProgress?.(++done);
      });
    }
  }
  return { visits, runs };
}

/** A listed failure while merging: its place in the search's order (level, then index). */
interface Failure {
  level: number;
  index: number;
  faults: AddedFault[];
  summary: RunSummary;
  failed: string[];
}

/** A search being merged, level by level, round by round: plain data, stored between rounds. */
export interface ExploreMergeState {
  faults: number;
  maxSchedules: number;
  exhaustive: boolean;
  /** The level whose candidates are being run. */
  level: number;
  explored: number;
  byLevel: number[];
  repeatedTraces: number;
  failing: number;
  /** The listed failures of the first level that has any (the fewest faults), shortest first, at most EXPLORE_FAILURES_LISTED. */
  failures: Failure[];
  /** Trace digests of the passing schedules so far. */
  digests: string[];
  /** Keys of this level's schedules run so far. */
  levelKeys: string[];
  /** The schedules this level extends (the parents of its candidates). */
  frontier: SliceNode[];
  /** This level's schedules to extend at the next, so far. */
  next: SliceNode[];
  /** This level's candidates, and how many of them were given to slices so far. */
  candidates: number;
  planned: number;
  eventsRoom: number;
  /** Set when the search has ended. */
  stoppedBy: ExploreResult["stoppedBy"] | null;
}

/** A search's start: its options checked (ExploreOptionsError for a bad one), its first slice the scenario as written. */
export function startExploreMerge(scenario: Scenario, options: ExploreSliceOptions): ExploreMergeState {
  const o = checkOptions(scenario, options);
  return {
    faults: o.faults, maxSchedules: o.maxSchedules, exhaustive: o.exhaustive,
    level: 0, explored: 0, byLevel: [], repeatedTraces: 0, failing: 0, failures: [], digests: [], levelKeys: [],
    frontier: [], next: [], candidates: 1, planned: 0, eventsRoom: EVENTS_ROOM_MIN, stoppedBy: null,
  };
}

/**
 * The next round's slices: the level's candidates not yet planned, as many as the schedule budget
 * has room for (some may repeat a set of faults and not count, so a later round may follow), each
 * at most `perSlice`. With no room left, one slice: its first new set of faults ends the search.
 */
export function planExploreRound(state: ExploreMergeState, perSlice: number): { state: ExploreMergeState; slices: ExploreSlice[] } {
  if (state.stoppedBy) return { state, slices: [] };
  const size = Math.max(1, Math.floor(perSlice));
  const room = state.maxSchedules - state.explored;
  const count = Math.min(state.candidates - state.planned, room > 0 ? room : size);
  const slices: ExploreSlice[] = [];
  for (let at = state.planned; at < state.planned + count; at += size) {
    const n = Math.min(size, state.planned + count - at);
    slices.push({ level: state.level, from: at, count: n, ...parentsOf(state.frontier, at, n), eventsRoom: state.eventsRoom });
  }
  return { state: { ...state, planned: state.planned + count }, slices };
}

function parentsOf(frontier: readonly SliceNode[], from: number, count: number): { parents: SliceNode[]; parentsFrom: number } {
  const parents: SliceNode[] = [];
  let parentsFrom = 0;
  let at = 0;
  for (const p of frontier) {
    const first = at;
    at += p.children;
    if (at <= from || p.children === 0) continue;
    if (first >= from + count) break;
    if (parents.length === 0) parentsFrom = first;
    parents.push(p);
  }
  return { parents, parentsFrom };
}

/**
 * Merges one round's slice results (any order: they are put in index order) into the search, as
 * explore() would have met them, and moves to the next level when this one is done. The state's
 * `stoppedBy` is set when the search has ended; otherwise plan the next round.
 */
export function mergeExploreRound(state: ExploreMergeState, results: readonly ExploreSliceResult[]): ExploreMergeState {
  const s: ExploreMergeState = { ...state, byLevel: [...state.byLevel], failures: [...state.failures], next: [...state.next] };
  const digests = new Set(state.digests);
  const keys = new Set(state.levelKeys);
  const visits = results.flatMap((r) => r.visits).sort((a, b) => a.index - b.index);
  for (const v of visits) {
    if (keys.has(v.key)) continue; // an earlier slice ran this set of faults: explore() runs it once
    if (s.explored >= s.maxSchedules) {
      s.stoppedBy = "limit";
      break;
    }
    keys.add(v.key);
    s.explored++;
    s.byLevel[s.level] = (s.byLevel[s.level] ?? 0) + 1;
    if (v.failed.length > 0) {
      s.failing++;
      // Failures of the first failing level only: a later level's never has the fewest faults.
      const fewest = s.failures[0]?.level ?? s.level;
      if (s.level === fewest && v.summary && v.faults) {
        s.failures.push({ level: s.level, index: v.index, faults: v.faults, summary: v.summary, failed: v.failed });
        s.failures.sort((a, b) => a.summary.events - b.summary.events || a.index - b.index);
        s.failures.length = Math.min(s.failures.length, EXPLORE_FAILURES_LISTED);
      }
      continue;
    }
    if (digests.has(v.digest!)) {
      s.repeatedTraces++;
      continue;
    }
    digests.add(v.digest!);
    if (s.level === 0) s.eventsRoom = eventsRoomOf(v.events);
    if (s.level < s.faults && v.faults) s.next.push({ faults: v.faults, lastOrdinal: v.lastOrdinal, children: v.children });
  }
  s.digests = [...digests];
  s.levelKeys = [...keys];
  if (s.stoppedBy || s.planned < s.candidates) return s;
  // The level is done: the next one's parents are the schedules it extends.
  s.level++;
  s.frontier = s.next;
  s.next = [];
  s.levelKeys = [];
  s.candidates = s.frontier.reduce((n, p) => n + p.children, 0);
  s.planned = 0;
  if (s.level > s.faults || s.frontier.length === 0) s.stoppedBy = "bounds";
  else if (s.failures.length > 0 && !s.exhaustive) s.stoppedBy = "failure";
  // The level's first candidate is a new set of faults, and there is no room for it.
  else if (s.candidates > 0 && s.explored >= s.maxSchedules) s.stoppedBy = "limit";
  return s;
}

/** The ended search's result, as explore() returns it. */
export function exploreMergeResult(state: ExploreMergeState): ExploreResult {
  const stoppedBy = state.stoppedBy ?? "bounds";
  const failures: Schedule[] = state.failures.map((f) => ({ faults: f.faults, summary: f.summary, failed: f.failed }));
  return {
    explored: state.explored,
    byLevel: state.byLevel,
    repeatedTraces: state.repeatedTraces,
    failing: state.failing,
    complete: stoppedBy !== "limit",
    stoppedBy,
    shortest: failures[0] ?? null,
    failures,
  };
}

/**
 * Schedules known so far, between rounds: explored, plus this level's candidates not yet run (an
 * upper bound: some repeat a set of faults; later levels are not known until they start), as
 * explore()'s progress says.
 */
export function exploreMergeKnown(state: ExploreMergeState): number {
  return state.explored + Math.max(0, state.candidates - state.planned);
}
