// The latency check bounds answered requests only: the page says what it measured and counts failures.
import { describe, expect, it } from "vitest";
import { checkNote } from "@/server/scenarios/check-notes";

describe("checkNote", () => {
  it("says a holding latency check measured 9 of 50 requests when 41 failed", () => {
    expect(checkNote({ name: "latency", ok: true }, { issued: 50, succeeded: 9, failed: 41 })).toEqual({
      text: "Measured over the 9 requests that were answered; 41 of 50 requests failed and have no latency, so they cannot break this bound. all-complete judges failures.",
      warn: true,
    });
  });
  it("says when nothing was answered, and stays quiet-toned when nothing failed", () => {
    expect(checkNote({ name: "latency", ok: true }, { issued: 3, succeeded: 0, failed: 3 })?.text).toMatch(/^Measured nothing: none of the 3 requests was answered/);
    expect(checkNote({ name: "latency", ok: true }, { issued: 1, succeeded: 1, failed: 0 })).toEqual({ text: "Measured over the 1 request that was answered (all of them).", warn: false });
  });
  it("is only for latency, and only with request counts", () => {
    expect(checkNote({ name: "all-complete", ok: false }, { issued: 2, succeeded: 1, failed: 1 })).toBeNull();
    expect(checkNote({ name: "latency", ok: true }, null)).toBeNull();
  });
});
