// How deeply a YAML or JSON document nests, found by one pass over the text before any parser
// sees it. A parser spends seconds on a few hundred KiB of nothing but brackets or dashes; this
// pass costs microseconds per KiB and stops at the first place past the limit.
// It errs only towards counting less (a bracket in a quoted string or a comment is not counted):
// it never refuses a document for nesting the document does not have.

export interface NestingExcess {
  depth: number;
  line: number;
  column: number;
}

/**
 * The first place where `text` nests deeper than `depthMax`, or null. Depth counts block levels
 * (indentation and compact "- " entries) plus open flow brackets ([ and {).
 */
export function nestingExcess(text: string, depthMax: number): NestingExcess | null {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | null = null;
  /** Indentation of the line that opened a block scalar (| or >): deeper lines are its text. */
  let blockScalarParent: number | null = null;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    lineNo++;
    start = end + 1;
    let i = 0;
    while (i < line.length && line[i] === " ") i++;
    const blank = i >= line.length || line[i] === "\r";
    if (blockScalarParent !== null) {
      if (blank || i > blockScalarParent) continue;
      blockScalarParent = null;
    }
    if (quote === null && (blank || line[i] === "#")) continue;
    let block = indents.length;
    if (quote === null && flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! > i) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1]! < i) indents.push(i);
      block = indents.length;
    }
    // A scalar may begin (and so a quote open) at the start of a line and after these.
    let scalarStart = quote === null;
    for (let c = i; c < line.length; c++) {
      const ch = line[c]!;
      if (quote !== null) {
        if (ch === "\\" && quote === '"') c++;
        else if (ch === quote) {
          if (quote === "'" && line[c + 1] === "'") c++;
          else quote = null;
        }
        continue;
      }
      const next = line[c + 1];
      const spaceAfter = next === undefined || next === " " || next === "\r";
      if ((ch === "-" || ch === "?") && spaceAfter && scalarStart && flow === 0) {
        block++; // a compact block entry: "- - x" nests twice on one line
      } else if (ch === "[" || ch === "{") {
        flow++;
        scalarStart = true;
        if (block + flow > depthMax) return { depth: block + flow, line: lineNo, column: c + 1 };
        continue;
      } else if (ch === "]" || ch === "}") {
        flow = Math.max(0, flow - 1);
      } else if ((ch === '"' || ch === "'") && scalarStart) {
        quote = ch;
      } else if (ch === "#" && (c === 0 || line[c - 1] === " ")) {
        break;
      } else if ((ch === "|" || ch === ">") && scalarStart && flow === 0 && /^[|>][-+0-9]*\s*(#.*)?\r?$/.test(line.slice(c))) {
        blockScalarParent = i;
        break;
      }
      if (block + flow > depthMax) return { depth: block + flow, line: lineNo, column: c + 1 };
      if (ch === " " || ch === ",") continue;
      scalarStart = ch === ":" || ch === "-" || ch === "?" || ch === ",";
    }
  }
  return null;
}
