// Reading a protocol's notes for its checks: each node's notes of one name in order, with the
// event each came from, so a failed check can name the two events that contradict each other.

import type { NoteLog } from "../nodes/runtime";

export interface NoteRef {
  /** Position in the note log. */
  at: number;
  node: number;
  timeUs: number;
  /** The trace event of the note (a witness). */
  event: number;
  fields: Record<string, unknown>;
}

/** Every note of these names, in the order they were written. */
export function notesNamed(log: NoteLog, ...names: string[]): NoteRef[] {
  const wanted = new Set(names);
  const out: NoteRef[] = [];
  for (let i = 0; i < log.count; i++) {
    if (wanted.has(log.name[i]!)) out.push({ at: i, node: log.node[i]!, timeUs: log.timeUs[i]!, event: log.event[i]!, fields: log.fields[i]! });
  }
  return out;
}

/** Notes of one name grouped by node, in order. */
export function notesByNode(log: NoteLog, name: string): Map<number, NoteRef[]> {
  const out = new Map<number, NoteRef[]>();
  for (const n of notesNamed(log, name)) {
    const list = out.get(n.node) ?? [];
    list.push(n);
    out.set(n.node, list);
  }
  return out;
}

/** A value as text for messages and comparisons (1 and "1" differ). */
export function show(v: unknown): string {
  return JSON.stringify(v) ?? "undefined";
}
