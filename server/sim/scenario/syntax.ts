// One clear problem for a document the YAML reader cannot read: an unbalanced bracket is named
// where it is (the usual cause: a missing `{` gives a stray `}`), otherwise the reader's first error
// in plain words. Everything the reader said after its first error follows from it, so it is counted,
// not listed: a missing `{` used to give eight raw parser errors.

import type { ScenarioProblem } from "./types";

export interface ReaderError {
  code: string;
  message: string;
  /** Offsets into the text: [start, end]. */
  pos: [number, number];
}

type Pos = (offset: number) => { line: number; col: number };

const OPENER: Record<string, string> = { "}": "{", "]": "[" };
const CLOSER: Record<string, string> = { "{": "}", "[": "]" };

/** The first unbalanced bracket outside quotes and comments, or null when they all pair up. */
export function unbalancedBracket(text: string): { offset: number; char: string; kind: "stray" | "unclosed" } | null {
  const stack: { char: string; offset: number }[] = [];
  let quote: '"' | "'" | null = null;
  let blockIndent = -1; // inside a block scalar (| or >) while lines are indented more than this
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (i === lineStart) {
      const indent = /^ */.exec(text.slice(i, i + 200))![0].length;
      const blank = /^\s*$/.test(text.slice(i, text.indexOf("\n", i) < 0 ? undefined : text.indexOf("\n", i)));
      if (blockIndent >= 0 && !blank && indent <= blockIndent) blockIndent = -1;
      if (blockIndent >= 0) {
        const nl = text.indexOf("\n", i);
        if (nl < 0) break;
        i = nl;
        lineStart = nl + 1;
        continue;
      }
    }
    if (c === "\n") {
      lineStart = i + 1;
      if (quote === "'") quote = null; // an unclosed single quote ends with its line for this scan
      continue;
    }
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") {
      const prev = i > 0 ? text[i - 1]! : " ";
      // A quote opens a quoted scalar only where a value starts; inside a plain word it is text (don't).
      if (/[\s,[{:]/.test(prev)) quote = c;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl - 1;
      continue;
    }
    if ((c === "|" || c === ">") && stack.length === 0 && /:\s*$/.test(text.slice(lineStart, i)) && /^[|>][+-]?\d*\s*(#.*)?$/.test(text.slice(i, lineEnd(text, i)))) {
      blockIndent = /^ */.exec(text.slice(lineStart))![0].length;
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl;
      lineStart = nl + 1;
      continue;
    }
    if (c === "{" || c === "[") stack.push({ char: c, offset: i });
    else if (c === "}" || c === "]") {
      const top = stack[stack.length - 1];
      if (!top || top.char !== OPENER[c]) return { offset: i, char: c, kind: "stray" };
      stack.pop();
    }
  }
  const open = stack[0];
  return open ? { offset: open.offset, char: open.char, kind: "unclosed" } : null;
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf("\n", i);
  return nl < 0 ? text.length : nl;
}

/** Plain words for the reader's most common messages; anything else is shown as the reader says it. */
function plain(code: string, message: string): string {
  const first = message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
  if (code === "DUPLICATE_KEY") return "a field is given twice in the same map";
  if (code === "MULTIPLE_DOCS") return "the file holds more than one document (---); a scenario is one document";
  if (/Nested mappings are not allowed in compact mappings/.test(first)) {
    return "a `key: value` pair sits inside another one on the same line: is a `{` missing, or does a map on one line need its braces?";
  }
  if (/Implicit keys need to be on a single line/.test(first)) return "a key runs over more than one line: is a `:` or a closing quote missing?";
  if (/All mapping items must start at the same column/.test(first)) return "the fields of a map must start at the same column: check this line's indentation";
  if (/Tabs are not allowed/.test(first)) return "tabs cannot indent YAML: use spaces";
  return first;
}

/**
 * The one problem to show for a document with syntax errors. `errors` are the reader's, in order;
 * `looksJson` words it for JSON when the document starts with `{`.
 */
export function syntaxProblem(text: string, errors: readonly ReaderError[], pos: Pos, looksJson: boolean): ScenarioProblem {
  const what = looksJson ? "JSON/YAML syntax" : "YAML syntax";
  const first = errors[0]!;
  const firstAt = pos(first.pos[0]);
  const more = errors.length > 1 ? ` (${errors.length - 1} more ${errors.length === 2 ? "error follows" : "errors follow"} from this one)` : "";
  const bracket = unbalancedBracket(text);
  if (bracket) {
    const at = pos(bracket.offset);
    if (bracket.kind === "stray" && at.line > firstAt.line) {
      // The reader stumbled first, where the `{` is probably missing; the bracket left over says why.
      const message = `${what}: the reader cannot go on here, and the \`${bracket.char}\` on line ${at.line} closes a \`${OPENER[bracket.char]}\` that was never opened: is a \`${OPENER[bracket.char]}\` missing here or just before?`;
      const end = pos(Math.max(first.pos[0], first.pos[1]));
      return { path: "", message: message + more, line: firstAt.line, column: firstAt.col, endLine: end.line, endColumn: end.col };
    }
    {
      const message =
        bracket.kind === "stray"
          ? `${what}: this \`${bracket.char}\` closes a \`${OPENER[bracket.char]}\` that was never opened: is a \`${OPENER[bracket.char]}\` missing earlier on this line?`
          : `${what}: this \`${bracket.char}\` is never closed: add its \`${CLOSER[bracket.char]}\``;
      return { path: "", message: message + more, line: at.line, column: at.col, endLine: at.line, endColumn: at.col + 1 };
    }
  }
  const end = pos(Math.max(first.pos[0], first.pos[1]));
  const base = first.code === "DUPLICATE_KEY" || first.code === "MULTIPLE_DOCS" ? plain(first.code, first.message) : `${what}: ${plain(first.code, first.message)}`;
  return { path: "", message: base + more, line: firstAt.line, column: firstAt.col, endLine: end.line, endColumn: end.col };
}
