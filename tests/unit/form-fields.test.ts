// The form editor's fields turn typed text into the document's values and back: numbers stay
// numbers, durations stay text, lists are comma-separated, and half-typed YAML is kept as text
// (so the format says what is wrong under the field instead of the form dropping the keystroke).
import { describe, expect, it } from "vitest";
import { pathText, textOf, valueOf } from "@/app/_components/form/fields";

describe("form field values", () => {
  it("reads what was typed as the format would", () => {
    expect(valueOf("number", "3")).toBe(3);
    expect(valueOf("number", "0.25")).toBe(0.25);
    expect(valueOf("number", "lots")).toBe("lots");
    expect(valueOf("scalar", "10")).toBe(10);
    expect(valueOf("scalar", "10ms")).toBe("10ms");
    expect(valueOf("scalar", "unlimited")).toBe("unlimited");
    expect(valueOf("text", "123")).toBe("123");
    expect(valueOf("list", "C1, C2 ,, C3")).toEqual(["C1", "C2", "C3"]);
    expect(valueOf("flow", "{ C2: [C3] }")).toEqual({ C2: ["C3"] });
    expect(valueOf("flow", "{ C2: [C3")).toBe("{ C2: [C3");
    expect(valueOf("scalar", "  ")).toBeUndefined();
  });

  it("shows the document's values as text that reads back the same", () => {
    for (const [kind, value] of [["number", 3], ["scalar", "10ms"], ["list", ["C1", "C2"]], ["flow", { C2: ["C3"] }]] as const) {
      expect(valueOf(kind, textOf(kind, value))).toEqual(value);
    }
    expect(textOf("scalar", undefined)).toBe("");
  });

  it("names fields by the paths the format's problems use", () => {
    expect(pathText(["faults", 2, "match", "nth"])).toBe("faults[2].match.nth");
    expect(pathText(["checks", 0, "latency", "p99"])).toBe("checks[0].latency.p99");
  });
});
