// The scenario line diff: longest common subsequence, deletions before additions, hunks with
// context, and a cheap fallback for huge inputs.
import { describe, expect, it } from "vitest";
import { DIFF_CELLS_MAX, diffHunks, diffLines, diffStats, splitLines } from "@/app/_components/results/line-diff";

const ops = (a: string, b: string) => diffLines(a, b).map((l) => `${l.op === "same" ? " " : l.op === "add" ? "+" : "-"}${l.text}`);

describe("diffLines", () => {
  it("finds nothing between equal texts", () => {
    expect(ops("a\nb\nc\n", "a\nb\nc")).toEqual([" a", " b", " c"]);
    expect(diffStats(diffLines("x\n", "x\n"))).toEqual({ added: 0, removed: 0 });
  });

  it("shows a changed line as a deletion then an addition", () => {
    expect(ops("a\nb\nc", "a\nB\nc")).toEqual([" a", "-b", "+B", " c"]);
  });

  it("keeps the longest common subsequence", () => {
    expect(ops("a\nb\nc\nd", "b\nc\nx\nd\ne")).toEqual(["-a", " b", " c", "+x", " d", "+e"]);
    expect(ops("", "a\nb")).toEqual(["+a", "+b"]);
    expect(ops("a\nb", "")).toEqual(["-a", "-b"]);
  });

  it("numbers lines on both sides", () => {
    const d = diffLines("a\nb\nc", "a\nc\nd");
    expect(d).toEqual([
      { op: "same", text: "a", a: 1, b: 1 },
      { op: "del", text: "b", a: 2 },
      { op: "same", text: "c", a: 3, b: 2 },
      { op: "add", text: "d", b: 3 },
    ]);
  });

  it("treats CRLF like LF", () => {
    expect(splitLines("a\r\nb\r\n")).toEqual(["a", "b"]);
    expect(ops("a\r\nb", "a\nb")).toEqual([" a", " b"]);
  });

  it("replaces a huge middle whole instead of filling a giant table", () => {
    const n = Math.ceil(Math.sqrt(DIFF_CELLS_MAX)) + 10;
    const a = Array.from({ length: n }, (_, i) => `a${i}`).join("\n");
    const b = Array.from({ length: n }, (_, i) => `b${i}`).join("\n");
    const s = diffStats(diffLines(`head\n${a}\ntail`, `head\n${b}\ntail`));
    expect(s).toEqual({ added: n, removed: n });
  });
});

describe("diffHunks", () => {
  it("groups changes with context and counts what it leaves out", () => {
    const a = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[5] = "changed 5";
    b[25] = "changed 25";
    const { hunks, skippedAfter } = diffHunks(diffLines(a.join("\n"), b.join("\n")), 2);
    expect(hunks).toHaveLength(2);
    expect(hunks[0]!.skippedBefore).toBe(3);
    expect(hunks[0]!.lines.map((l) => l.op)).toEqual(["same", "same", "del", "add", "same", "same"]);
    // Diff rows 9..23 (unchanged lines 7..21) lie between the two hunks.
    expect(hunks[1]!.skippedBefore).toBe(15);
    expect(skippedAfter).toBe(2);
  });

  it("has no hunks when nothing changed", () => {
    expect(diffHunks(diffLines("a\nb", "a\nb")).hunks).toEqual([]);
  });
});
