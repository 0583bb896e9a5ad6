// Each node's Raft log as its append and truncate notes built it, replayed from the notes alone.
// Logs are chains of interned prefixes: two logs agree up to an index iff their prefix ids there match.

import type { NoteRef } from "../../checkers/notes";

/** An entry as notes name it: its term and the id of its command. */
export interface EntryId {
  term: number;
  id: string;
}

/** Every distinct (prefix, entry) seen in any log gets a number; equal numbers mean equal logs up to there. */
export class PrefixTable {
  private readonly parent: number[] = [];
  private readonly entries: EntryId[] = [];
  private readonly index = new Map<string, number>();

  /** The prefix made of `parent` (-1: the empty log) followed by `entry`. */
  extend(parent: number, entry: EntryId): number {
    const key = `${parent} ${entry.term} ${entry.id}`;
    let p = this.index.get(key);
    if (p === undefined) {
      p = this.parent.length;
      this.parent.push(parent);
      this.entries.push(entry);
      this.index.set(key, p);
    }
    return p;
  }

  entry(prefix: number): EntryId {
    return this.entries[prefix]!;
  }

  /** The whole log a prefix stands for, first entry first. */
  log(prefix: number): EntryId[] {
    const out: EntryId[] = [];
    for (let p = prefix; p >= 0; p = this.parent[p]!) out.push(this.entries[p]!);
    return out.reverse();
  }
}

/** What a note did to a node's log. */
export interface LogChange {
  /** Entries written: their index and the prefix id they end. */
  appended: { index: number; prefix: number; entry: EntryId }[];
  /** Entries an append overwrote without a truncate note (index of the first), or 0. */
  overwroteFrom: number;
  /** First index a truncate deleted, or 0. */
  truncatedFrom: number;
  /** The log's length before the note. */
  lengthBefore: number;
}

/** A note the replay cannot read: what is wrong with it. */
export class MalformedNote extends Error {
  constructor(
    readonly note: NoteRef,
    message: string,
  ) {
    super(message);
  }
}

export function intField(note: NoteRef, name: string): number {
  const v = note.fields[name];
  if (typeof v !== "number" || !Number.isInteger(v)) throw new MalformedNote(note, `its ${name} is not a whole number`);
  return v;
}

function entriesOf(note: NoteRef): EntryId[] {
  const list = note.fields.entries;
  if (!Array.isArray(list)) throw new MalformedNote(note, "its entries are not a list of [term, id]");
  return list.map((e: unknown) => {
    if (!Array.isArray(e) || typeof e[0] !== "number") throw new MalformedNote(note, "its entries are not a list of [term, id]");
    return { term: e[0], id: String(e[1]) };
  });
}

/** Every node's log, replayed note by note (append and truncate notes; others leave logs alone). */
export class RaftLogs {
  readonly prefixes = new PrefixTable();
  private readonly chains = new Map<number, number[]>();

  chain(node: number): number[] {
    let c = this.chains.get(node);
    if (!c) {
      c = [];
      this.chains.set(node, c);
    }
    return c;
  }

  length(node: number): number {
    return this.chain(node).length;
  }

  /** The prefix id of a node's log up to index i (1-based), or -1 for index 0 or past its end. */
  prefixAt(node: number, i: number): number {
    return i >= 1 ? (this.chain(node)[i - 1] ?? -1) : -1;
  }

  /** Applies an append or truncate note; returns what changed (nothing for other notes). */
  apply(note: NoteRef, name: string): LogChange {
    const chain = this.chain(note.node);
    const change: LogChange = { appended: [], overwroteFrom: 0, truncatedFrom: 0, lengthBefore: chain.length };
    if (name === "truncate") {
      const from = intField(note, "index");
      if (from < 1) throw new MalformedNote(note, "its index is below 1");
      if (from <= chain.length) {
        change.truncatedFrom = from;
        chain.length = from - 1;
      }
    } else if (name === "append") {
      const index = intField(note, "index");
      if (index < 1 || index > chain.length + 1) throw new MalformedNote(note, `it appends at index ${index}, but the node's log has ${chain.length} entries`);
      if (index <= chain.length) {
        change.overwroteFrom = index;
        chain.length = index - 1;
      }
      entriesOf(note).forEach((entry, k) => {
        const prefix = this.prefixes.extend(chain.length === 0 ? -1 : chain[chain.length - 1]!, entry);
        chain.push(prefix);
        change.appended.push({ index: index + k, prefix, entry });
      });
    }
    return change;
  }
}

/**
 * Which node leads which term, note by note: a node leads term T from its `elected { term: T }`
 * note until it restarts (`start`) or writes any note with a greater `term` (a node's notes never
 * carry a term above its current one, so a greater one means it has moved on).
 */
export class Leadership {
  private readonly leading = new Map<number, NoteRef & { term: number }>();

  /** Updates from a note; returns the node's leadership after it (its elected note), or undefined. */
  apply(note: NoteRef, name: string): (NoteRef & { term: number }) | undefined {
    const current = this.leading.get(note.node);
    const term = note.fields.term;
    if (name === "start" || (current && typeof term === "number" && term > current.term)) this.leading.delete(note.node);
    if (name === "elected") this.leading.set(note.node, { ...note, term: intField(note, "term") });
    return this.leading.get(note.node);
  }

  /** The elected note of every node that leads now. */
  leaders(): (NoteRef & { term: number })[] {
    return [...this.leading.values()];
  }
}
