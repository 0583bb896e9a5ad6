// A run's story in a few sentences, in the slide's words, built from the trace and the checks:
// "C1 sent the write at 0 ms. The response was lost at 11 ms (fault rule 1). C1 timed out at
// 100 ms and resent the write. C2 executed the write a second time at 111 ms — at-most-once fails."
// Each sentence carries the events it speaks of, so the page can select them. Pure; no React.

import type { Trace } from "@/server/sim/trace/trace";
import type { CheckResult } from "@/server/sim/checkers/result";
import { formatCount } from "@/app/_components/format";
import { beatsOf, type Beat, type NarrativeFault } from "./narrative-beats";
import { formatUs } from "./time";

export { faultRule, type NarrativeFault } from "./narrative-beats";

/** Sentences of the story before "…and N more events of note" (verdicts come after these). */
export const NARRATIVE_STORY_SENTENCES_MAX = 10;
/** How many of one kind of thing (one client's retries, one rule's losses) are told before counting the rest. */
export const NARRATIVE_TOLD_PER_GROUP = 1;
/** Events a sentence keeps for the page to ring (a summary of 40,000 retries keeps the first ones). */
export const NARRATIVE_EVENTS_PER_SENTENCE_MAX = 200;
/** A failed check's own message is cut to this many characters in the story. */
export const NARRATIVE_MESSAGE_CHARS_MAX = 180;

export interface NarrativeSentence {
  text: string;
  /** The event a click selects, or null for a sentence about the whole run (checks that hold). */
  at: number | null;
  /** Every event the sentence speaks of, ascending, at most NARRATIVE_EVENTS_PER_SENTENCE_MAX. */
  events: number[];
  /** story: one thing that happened; more: a count of repeats or of the rest; verdict: a check. */
  kind: "story" | "more" | "verdict";
  /** The sentence tells a check failing (its own, or one attached to the event that completes it). */
  fails?: string[];
}

export interface Narrative {
  sentences: NarrativeSentence[];
}

/** A sentence of the story with how much it matters when the story must be cut. */
interface Told {
  sentence: NarrativeSentence;
  priority: number;
}

interface Summary {
  sentence: NarrativeSentence;
  more: string;
  count: number;
  lastUs: number;
}

function keep(events: number[], add: readonly number[]): void {
  for (const e of add) if (events.length < NARRATIVE_EVENTS_PER_SENTENCE_MAX) events.push(e);
}

/** Tells the first beat of each group and counts its repeats in one "…and N more" sentence placed where they start. */
function groupRepeats(trace: Trace, beats: Beat[]): Told[] {
  const out: Told[] = [];
  const told = new Map<string, number>();
  const summaries = new Map<string, Summary>();
  for (const b of beats) {
    const n = (told.get(b.group) ?? 0) + 1;
    told.set(b.group, n);
    if (n <= NARRATIVE_TOLD_PER_GROUP) {
      out.push({ sentence: { text: b.text(), at: b.at, events: [...b.events].sort((x, y) => x - y), kind: "story" }, priority: b.priority.told });
      continue;
    }
    if (!b.more) continue;
    let s = summaries.get(b.group);
    if (!s) {
      s = { sentence: { text: "", at: b.at, events: [], kind: "more" }, more: b.more, count: 0, lastUs: 0 };
      summaries.set(b.group, s);
      out.push({ sentence: s.sentence, priority: b.priority.more });
    }
    s.count++;
    s.lastUs = trace.data.time[b.at] ?? s.lastUs;
    keep(s.sentence.events, b.events);
  }
  for (const s of summaries.values()) {
    s.sentence.text = `…and ${formatCount(s.count)} more ${s.more}${s.count > 1 ? `, the last at ${formatUs(s.lastUs)}` : ` at ${formatUs(s.lastUs)}`}.`;
    s.sentence.events.sort((x, y) => x - y);
  }
  return out;
}

/**
 * Cuts the story to NARRATIVE_STORY_SENTENCES_MAX, keeping the sentences that matter most (the
 * opening, faults and failures, where a check fails) in their order; the rest are counted in a
 * last sentence that selects the first of them.
 */
function capStory(trace: Trace, story: Told[]): NarrativeSentence[] {
  if (story.length <= NARRATIVE_STORY_SENTENCES_MAX) return story.map((t) => t.sentence);
  const rank = story.map((t, i) => ({ i, p: t.sentence.fails ? -1 : t.priority })).sort((a, b) => a.p - b.p || a.i - b.i);
  const keepSet = new Set(rank.slice(0, NARRATIVE_STORY_SENTENCES_MAX - 1).map((r) => r.i));
  const kept = story.filter((_, i) => keepSet.has(i)).map((t) => t.sentence);
  const rest = story.filter((_, i) => !keepSet.has(i)).map((t) => t.sentence);
  const events: number[] = [];
  for (const s of rest) if (s.at !== null) keep(events, [s.at]);
  events.sort((x, y) => x - y);
  const first = trace.data.time[events[0] ?? 0] ?? 0;
  const last = trace.data.time[events[events.length - 1] ?? 0] ?? 0;
  kept.push({
    text: `…and ${formatCount(rest.length)} more things worth a look, from ${formatUs(first)} to ${formatUs(last)}: step on through the diagram.`,
    at: events[0] ?? null,
    events,
    kind: "more",
  });
  return kept;
}

function clip(text: string): string {
  const t = text.trim().replace(/\.$/, "");
  return t.length > NARRATIVE_MESSAGE_CHARS_MAX ? `${t.slice(0, NARRATIVE_MESSAGE_CHARS_MAX - 1)}…` : t;
}

function andList(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * The verdicts: a failed check is told on the story sentence of the event that completes its
 * witness ("…a second time at 111 ms — at-most-once fails"), or in a sentence of its own with its
 * message; the checks that hold share one last sentence.
 */
function verdicts(told: Told[], checks: readonly CheckResult[], length: number): NarrativeSentence[] {
  const out: NarrativeSentence[] = [];
  const attached = new Map<NarrativeSentence, string[]>();
  const story = told.map((t) => t.sentence).filter((s) => s.kind === "story");
  for (const c of checks) {
    if (c.ok) continue;
    const witness = (c.witness ?? []).filter((w) => w >= 0 && w < length).sort((x, y) => x - y);
    let host: NarrativeSentence | undefined;
    for (let k = witness.length - 1; k >= 0 && !host; k--) host = story.find((s) => s.events.includes(witness[k]!));
    if (host) {
      attached.set(host, [...(attached.get(host) ?? []), c.name]);
      continue;
    }
    out.push({ text: `${c.name} fails${c.message ? `: ${clip(c.message)}` : ""}.`, at: witness[0] ?? null, events: witness.slice(0, NARRATIVE_EVENTS_PER_SENTENCE_MAX), kind: "verdict", fails: [c.name] });
  }
  for (const [s, names] of attached) {
    s.text = `${s.text.replace(/\.$/, "")} — ${andList(names)} ${names.length === 1 ? "fails" : "fail"}.`;
    s.fails = names;
  }
  const held = checks.filter((c) => c.ok).map((c) => c.name);
  if (held.length > 0) {
    const all = held.length === checks.length;
    out.push({ text: `${all && held.length > 1 ? "Every check holds: " : ""}${andList(held)}${all && held.length > 1 ? "." : ` ${held.length === 1 ? "holds" : "hold"}.`}`, at: null, events: [], kind: "verdict" });
  }
  return out;
}

/**
 * The run's story: what happened, grouped and capped, then what the checks concluded. With the
 * scenario's faults (scenario-text.ts), the slow nodes and clock faults are told too.
 */
export function buildNarrative(trace: Trace, checks: readonly CheckResult[], faults: readonly NarrativeFault[] = []): Narrative {
  const told = groupRepeats(trace, beatsOf(trace, faults));
  // Failed checks are told first, on the sentences they complete, so the cut keeps those sentences.
  const closing = verdicts(told, checks, trace.length);
  return { sentences: [...capStory(trace, told), ...closing] };
}
