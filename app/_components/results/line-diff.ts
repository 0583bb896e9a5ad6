// A line diff of two scenario versions: longest common subsequence after trimming the common
// head and tail, grouped into hunks with a few lines of context, as a reader expects.

export type DiffOp = "same" | "del" | "add";

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line number in the old text (same, del). */
  a?: number;
  /** 1-based line number in the new text (same, add). */
  b?: number;
}

/** Above this many cells (old lines × new lines, after trimming) the middle is shown as replaced whole. */
export const DIFF_CELLS_MAX = 4_000_000;

export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ op: "same", text: a[i]!, a: i + 1, b: i + 1 });
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const n = am.length;
  const m = bm.length;
  if (n * m > DIFF_CELLS_MAX) {
    am.forEach((text, i) => out.push({ op: "del", text, a: head + i + 1 }));
    bm.forEach((text, j) => out.push({ op: "add", text, b: head + j + 1 }));
  } else {
    // lcs[i][j] = length of the LCS of am[i..] and bm[j..], in one flat array.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = am[i] === bm[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        out.push({ op: "same", text: am[i]!, a: head + i + 1, b: head + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // On a tie the deletion goes first: a changed line reads as "-old" then "+new".
        out.push({ op: "del", text: am[i]!, a: head + i + 1 });
        i++;
      } else {
        out.push({ op: "add", text: bm[j]!, b: head + j + 1 });
        j++;
      }
    }
  }
  for (let k = tail; k > 0; k--) out.push({ op: "same", text: a[a.length - k]!, a: a.length - k + 1, b: b.length - k + 1 });
  return out;
}

export interface DiffHunk {
  lines: DiffLine[];
  /** Unchanged lines left out before this hunk. */
  skippedBefore: number;
}

/** Groups a diff into hunks of changes with `context` unchanged lines around each; far-apart changes get separate hunks. */
export function diffHunks(lines: DiffLine[], context = 3): { hunks: DiffHunk[]; skippedAfter: number } {
  const changed = lines.map((l) => l.op !== "same");
  const keep = new Uint8Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    if (!changed[i]) continue;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = 1;
  }
  const hunks: DiffHunk[] = [];
  let skipped = 0;
  let current: DiffHunk | null = null;
  for (let i = 0; i < lines.length; i++) {
    if (keep[i]) {
      if (!current) {
        current = { lines: [], skippedBefore: skipped };
        hunks.push(current);
        skipped = 0;
      }
      current.lines.push(lines[i]!);
    } else {
      current = null;
      skipped++;
    }
  }
  return { hunks, skippedAfter: skipped };
}

export function diffStats(lines: DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.op === "add") added++;
    else if (l.op === "del") removed++;
  }
  return { added, removed };
}
