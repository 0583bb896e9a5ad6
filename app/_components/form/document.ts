// The form editor's edits to the scenario's YAML text. An edit is made on the parsed document (the
// `yaml` package's Document API), and only the stretch of text it changed is written back into the
// user's text: the package writes a whole document in its own style (one space before a comment,
// padded flow brackets, at most one blank line), so writing it all would restyle lines the user did
// not touch. Comments, order, flow style and spacing elsewhere stay as the user wrote them; new
// text is in the package's style. When the change cannot be placed in the user's text (say it is
// indented by 3), the edit gives the whole document in the package's style instead.
import { isMap, isScalar, isSeq, parseDocument, YAMLSeq, type Document } from "yaml";
import type { Path } from "./fields";

/**
 * The package's styles to write a change in, first the format's own: 2-space indents, list items
 * indented under their key. Never folded: a flow map past 80 columns stays on its one line.
 */
const STYLES = [{}, { indentSeq: false }, { indent: 4 }, { indent: 4, indentSeq: false }].map((style) => ({ ...style, lineWidth: 0 }));

/** The text with `mutate` applied, or null when the text is not valid YAML. */
export function editText(source: string, mutate: (doc: Document) => void): string | null {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return null;
  const original = doc.toString(STYLES[0]) === source ? null : doc.clone();
  mutate(doc);
  const after = doc.toString(STYLES[0]);
  return original === null ? after : (rewrite(source, original, doc) ?? after);
}

/** The change from `original` to `changed` made to `source` in the style closest to its own, or null. */
function rewrite(source: string, original: Document, changed: Document): string | null {
  const expected = restyled(changed.toString(STYLES[0]));
  if (expected === null) return null;
  const tries = STYLES.map((style) => ({ before: original.toString(style), after: changed.toString(style) }));
  tries.sort((x, y) => likeness(source, y.before) - likeness(source, x.before));
  for (const { before, after } of tries) {
    const spliced = splice(source, before, after);
    if (spliced !== null && restyled(spliced) === expected) return spliced;
  }
  return null;
}

/** Sets the field at `path`; undefined (or "") removes it. A scalar over a scalar keeps the old one's comments and quoting. */
export function setField(doc: Document, path: Path, value: unknown): void {
  if (value === undefined || value === "") doc.deleteIn(path);
  else doc.setIn(path, replacing(doc, doc.getIn(path, true), value));
}

export function appendItem(doc: Document, path: Path, value: unknown): void {
  const list = doc.getIn(path, true);
  if (isSeq(list)) list.items.push(flowNode(doc, value));
  else {
    const seq = new YAMLSeq();
    seq.items.push(flowNode(doc, value));
    doc.setIn(path, seq);
  }
}

/** Removes the list's item at `index`, and the list when it is left empty. */
export function removeItem(doc: Document, path: Path, index: number): void {
  doc.deleteIn([...path, index]);
  const list = doc.getIn(path, true);
  if (isSeq(list) && list.items.length === 0) doc.deleteIn(path);
}

function flowNode(doc: Document, value: unknown) {
  const node = doc.createNode(value);
  if (isMap(node) || isSeq(node)) node.flow = true;
  return node;
}

function replacing(doc: Document, old: unknown, value: unknown) {
  const node = flowNode(doc, value);
  if (isScalar(old) && isScalar(node)) {
    node.comment = old.comment;
    node.commentBefore = old.commentBefore;
    node.spaceBefore = old.spaceBefore;
    if (typeof old.value === "string" && typeof node.value === "string") node.type = old.type;
  }
  return node;
}

/** The text in the first style: two texts that read the same, comments and all, restyle the same. */
function restyled(text: string): string | null {
  const doc = parseDocument(text);
  return doc.errors.length > 0 ? null : doc.toString(STYLES[0]);
}

/**
 * The change from `before` to `after` (one stretch: what lies between their common start and
 * common end) made to `source` instead, where `before` is `source` in the package's style: the
 * same text but for whitespace. Null when the two differ in more than whitespace.
 */
function splice(source: string, before: string, after: string): string | null {
  const a = nonSpace(source);
  const b = nonSpace(before);
  if (a.length !== b.length || a.some((at, i) => source[at] !== before[b[i]!])) return null;
  const [head, tail] = paired(before, after, ...shared(before, after));
  const [from, start] = place(source, a, before, b, head, "start");
  const [to, end] = place(source, a, before, b, before.length - tail, "end");
  return source.slice(0, from) + after.slice(start, after.length - (before.length - end)) + source.slice(to);
}

/**
 * How many characters the two texts share at their start, and then at their end: first in whole
 * lines, then within the lines that differ (so that removing one of two similar lines is that
 * line, not the end of one and the start of the next).
 */
function shared(x: string, y: string): [number, number] {
  const [lineHead, lineTail] = sharedLines(x, y);
  const [xs, ys] = [x.slice(lineHead, x.length - lineTail), y.slice(lineHead, y.length - lineTail)];
  const head = sharedStart(xs, ys);
  return [lineHead + head, lineTail + sharedEnd(xs.slice(head), ys.slice(head))];
}

function sharedLines(x: string, y: string): [number, number] {
  const charHead = sharedStart(x, y);
  const head = charHead === 0 ? 0 : x.lastIndexOf("\n", charHead - 1) + 1;
  const [xs, ys] = [x.slice(head), y.slice(head)];
  const tail = sharedEnd(xs, ys);
  const atLineStart = (t: string) => t.length === tail || t[t.length - tail - 1] === "\n";
  if (atLineStart(xs) && atLineStart(ys)) return [head, tail];
  const newline = xs.indexOf("\n", xs.length - tail);
  return [head, newline < 0 ? 0 : xs.length - newline - 1];
}

function sharedStart(x: string, y: string): number {
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

function sharedEnd(x: string, y: string): number {
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

/**
 * The changed stretch widened until its brackets pair up in both texts: a flow collection changed
 * in its structure is written whole, not as a mix of the two styles (`[[C1, C2 ], [ C3]]`).
 */
function paired(before: string, after: string, head: number, tail: number): [number, number] {
  for (;;) {
    const [closers, openers] = unpaired(before.slice(head, before.length - tail));
    const [closersAfter, openersAfter] = unpaired(after.slice(head, after.length - tail));
    if ((closers + closersAfter === 0 || head === 0) && (openers + openersAfter === 0 || tail === 0)) return [head, tail];
    if (closers + closersAfter > 0) head = opening(before, head);
    if (openers + openersAfter > 0) tail = before.length - closing(before, before.length - tail);
  }
}

/** How many closing brackets in `text` have no opening one, and how many opening ones no closing one. */
function unpaired(text: string): [number, number] {
  let depth = 0;
  let lowest = 0;
  for (const c of text) {
    if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") lowest = Math.min(lowest, --depth);
  }
  return [-lowest, depth - lowest];
}

/** The position of the first bracket left of `p` that opens a collection around `p` (0 if none). */
function opening(text: string, p: number): number {
  for (let depth = 0, i = p - 1; i >= 0; i--) {
    if (text[i] === "]" || text[i] === "}") depth++;
    else if ((text[i] === "[" || text[i] === "{") && depth-- === 0) return i;
  }
  return 0;
}

/** The position after the first bracket right of `p` that closes a collection around `p` (the end if none). */
function closing(text: string, p: number): number {
  for (let depth = 0, i = p; i < text.length; i++) {
    if (text[i] === "[" || text[i] === "{") depth++;
    else if ((text[i] === "]" || text[i] === "}") && depth-- === 0) return i + 1;
  }
  return text.length;
}

/** How many runs of whitespace `before` writes as `source` does: the style closest to the user's writes the most. */
function likeness(source: string, before: string): number {
  const a = nonSpace(source);
  const b = nonSpace(before);
  if (a.length !== b.length) return -1;
  let same = 0;
  for (let k = 0; k <= a.length; k++) if (source.slice(...run(source, a, k)) === before.slice(...run(before, b, k))) same++;
  return same;
}

/** Where each character other than YAML's whitespace (spaces, tabs, line breaks) is. */
function nonSpace(text: string): number[] {
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) if (!" \t\n\r".includes(text[i]!)) at.push(i);
  return at;
}

/**
 * Position `p` of `before` in `source`, and `p` itself. When the two texts' runs of whitespace there
 * differ and `p` is neither at an end of its run nor at a line's start, `p` moves out to its run's
 * start (`side` "start") or end ("end"), and the edit rewrites that run too.
 */
function place(source: string, a: number[], before: string, b: number[], p: number, side: "start" | "end"): [number, number] {
  let k = 0;
  while (k < b.length && b[k]! < p) k++;
  const [runStart, runEnd] = run(before, b, k);
  const [sourceStart, sourceEnd] = run(source, a, k);
  if (before.slice(runStart, runEnd) === source.slice(sourceStart, sourceEnd)) return [sourceStart + p - runStart, p];
  if (p === runStart) return [sourceStart, p];
  if (p === runEnd) return [sourceEnd, p];
  const line = afterLines(source, sourceStart, sourceEnd, before.slice(runStart, p));
  if (line !== null) return [line, p];
  return side === "start" ? [sourceStart, runStart] : [sourceEnd, runEnd];
}

/** When `lead` ends a line: where as many lines have ended in source[from, to). */
function afterLines(source: string, from: number, to: number, lead: string): number | null {
  if (!lead.endsWith("\n")) return null;
  let at = from;
  for (let n = lead.split("\n").length - 1; n > 0; n--) {
    const newline = source.indexOf("\n", at);
    if (newline < 0 || newline >= to) return null;
    at = newline + 1;
  }
  return at;
}

/** Where the text's k-th run of whitespace starts and ends: the one before its k-th character other than whitespace. */
function run(text: string, at: number[], k: number): [number, number] {
  return [k > 0 ? at[k - 1]! + 1 : 0, k < at.length ? at[k]! : text.length];
}
