// Reading busy diagrams: focusing one request (and the work it caused), collapsing retries,
// combining those with the event log's filter, and density binning for zoomed-out views.
import { describe, expect, it } from "vitest";
import { canFocus, cascade, focusAround, requestOf } from "@/app/_components/results/focus";
import { collapseRetries, hasAttempts } from "@/app/_components/results/retry-collapse";
import { buildLens, VIS_DIM, VIS_FULL, VIS_HIDDEN } from "@/app/_components/results/diagram-lens";
import { ArrowBundler, addToDensity, bundleWidth, densityLevel, emptyDensity } from "@/app/_components/results/density";
import { filterEvents, NO_FILTER } from "@/app/_components/results/event-filter";
import { closedLoopSource, runTemplate, runText, templateSource } from "./results-fixtures";

const indicesOf = (mask: Uint8Array) => Array.from(mask).flatMap((v, i) => (v ? [i] : []));

describe("focusAround (request-response)", () => {
  it("takes every attempt of the request and nothing of another request", () => {
    const { trace } = runText(closedLoopSource(3, 400));
    const resend = Array.from({ length: trace.length }, (_, i) => i).find((i) => trace.kindName(i) === "resend")!;
    expect(resend).toBeGreaterThanOrEqual(0);
    const focus = focusAround(trace, resend)!;
    const r = requestOf(trace, resend);
    const focused = indicesOf(focus.mask);
    expect(focus.count).toBe(focused.length);
    expect(focused.every((i) => trace.event(i, false).request === r)).toBe(true);
    // Every event of that request is in, first attempt and retries alike.
    const all = Array.from({ length: trace.length }, (_, i) => i).filter((i) => trace.event(i, false).request === r);
    expect(focused).toEqual(all);
    const attempts = new Set(focused.map((i) => trace.event(i, false).attempt).filter((a) => a !== undefined));
    expect(attempts.size).toBeGreaterThan(1);
    expect(focus.label).toMatch(new RegExp(`^request ${r} \\(`));
  });

  it("follows a request into the downstream calls it caused", () => {
    const { trace } = runTemplate("unknown-computer");
    const issue = Array.from({ length: trace.length }, (_, i) => i).find((i) => trace.kindName(i) === "issue" && trace.event(i, false).node === "C1")!;
    const focus = focusAround(trace, issue)!;
    const nodes = new Set(indicesOf(focus.mask).map((i) => trace.event(i, false).node));
    // C1 never talks to C3, but the request's work reached it through C2's call.
    expect(nodes).toEqual(new Set(["C1", "C2", "C3"]));
    expect(focus.label).toContain("call");
    // The next request of C1 is not part of it.
    const secondIssue = Array.from({ length: trace.length }, (_, i) => i).filter((i) => trace.kindName(i) === "issue" && trace.event(i, false).node === "C1")[1]!;
    expect(focus.mask[secondIssue]).toBe(0);
  });

  it("has nothing to focus on a crash or the stop", () => {
    const { trace } = runTemplate("server-crash");
    const crash = Array.from({ length: trace.length }, (_, i) => i).find((i) => trace.kindName(i) === "crash")!;
    expect(canFocus(trace, crash)).toBe(false);
    expect(focusAround(trace, crash)).toBeNull();
    expect(focusAround(trace, trace.length - 1)).toBeNull();
  });
});

describe("cascade (a run of nodes)", () => {
  const { trace } = runText(templateSource("protocol-broadcast"));
  it("is a run of nodes", () => expect(trace.data.layout).toBe("nodes"));

  it("holds only events the focused send happened before, and reaches past the first hop", () => {
    const sends = Array.from({ length: trace.length }, (_, i) => i).filter((i) => trace.kindName(i) === "send");
    // A send whose delivery set its receiver sending: the cascade must go past one message.
    const root = sends.find((s) => {
      const m = cascade(trace, s);
      return indicesOf(m).filter((i) => trace.kindName(i) === "send").length > 1;
    });
    expect(root).toBeDefined();
    const mask = cascade(trace, root!);
    const inFocus = indicesOf(mask);
    for (const e of inFocus) if (e !== root) expect(trace.happensBefore(root!, e)).toBe(true);
    // Each message sent in the cascade is followed to its arrival or loss.
    const d = trace.data;
    for (const e of inFocus) {
      if (trace.kindName(e) !== "send") continue;
      const m = d.ref[e]!;
      const ends = Array.from({ length: trace.length }, (_, i) => i).filter((i) => (trace.kindName(i) === "deliver" || trace.kindName(i) === "drop") && d.ref[i] === m);
      for (const end of ends) expect(mask[end]).toBe(1);
    }
  });
});

describe("collapseRetries", () => {
  it("draws a retried request once, by the attempt that got the answer, with a ×N badge", () => {
    const { trace } = runTemplate("response-lost");
    expect(hasAttempts(trace)).toBe(true);
    const c = collapseRetries(trace);
    expect(c.badges).toHaveLength(1);
    const badge = c.badges[0]!;
    expect(badge.attempts).toBe(2);
    // The kept attempt is the second (its answer was accepted): its send is the resend.
    expect(trace.kindName(badge.index)).toBe("resend");
    expect(c.hidden[badge.index]).toBe(0);
    const hiddenEvents = indicesOf(c.hidden).map((i) => trace.event(i, false));
    expect(hiddenEvents.length).toBe(c.hiddenCount);
    // Attempt 1's request, the server's work on it, its lost response and the timeout are hidden.
    expect(hiddenEvents.map((e) => e.kind)).toEqual(["send", "deliver", "process", "execute", "respond", "drop", "timeout"]);
    expect(hiddenEvents.every((e) => e.kind === "timeout" || e.attempt === 1)).toBe(true);
    // The outcome stays: the accepted answer, and the issue.
    const kept = Array.from({ length: trace.length }, (_, i) => i).filter((i) => c.hidden[i] === 0).map((i) => trace.kindName(i));
    expect(kept).toContain("accept");
    expect(kept).toContain("issue");
  });

  it("leaves a run without retries alone, and a run of nodes has none to collapse", () => {
    const { trace } = runTemplate("request-slow");
    const c = collapseRetries(trace);
    const resends = Array.from({ length: trace.length }, (_, i) => i).filter((i) => trace.kindName(i) === "resend");
    expect(c.badges.length).toBe(new Set(resends.map((i) => trace.event(i, false).request)).size);
    const nodes = runText(templateSource("protocol-broadcast")).trace;
    expect(hasAttempts(nodes)).toBe(false);
    expect(collapseRetries(nodes).hiddenCount).toBe(0);
  });
});

describe("buildLens", () => {
  const { trace } = runTemplate("response-lost");
  it("is null when nothing narrows the diagram", () => {
    expect(buildLens({ length: trace.length, matching: null, collapse: null, focus: null })).toBeNull();
  });
  it("hides what the filter leaves out, hides collapsed attempts, and dims what is out of focus", () => {
    const matching = filterEvents(trace, { ...NO_FILTER, node: "C1" });
    const lens = buildLens({ length: trace.length, matching, collapse: collapseRetries(trace), focus: null })!;
    for (let i = 0; i < trace.length; i++) {
      const onC1 = trace.event(i, false).node === "C1";
      if (!onC1) expect(lens.vis[i]).toBe(VIS_HIDDEN);
    }
    expect(lens.shown).toBe(Array.from(lens.vis).filter((v) => v !== VIS_HIDDEN).length);
    expect(lens.focusActive).toBe(false);
    // The badge sits on C1's resend, which the filter keeps.
    expect(lens.badges).toHaveLength(1);

    const other = runText(closedLoopSource(3, 300)).trace;
    const issue = Array.from({ length: other.length }, (_, i) => i).find((i) => other.kindName(i) === "issue")!;
    const focus = focusAround(other, issue)!;
    const focused = buildLens({ length: other.length, matching: null, collapse: null, focus })!;
    expect(focused.focusActive).toBe(true);
    for (let i = 0; i < other.length; i++) expect(focused.vis[i]).toBe(focus.mask[i] ? VIS_FULL : VIS_DIM);
  });
  it("drops the badge of a collapsed request the filter hides", () => {
    const matching = filterEvents(trace, { ...NO_FILTER, node: "C2" });
    const lens = buildLens({ length: trace.length, matching, collapse: collapseRetries(trace), focus: null })!;
    expect(lens.badges).toHaveLength(0);
  });
});

describe("density", () => {
  it("counts events per lane and column, ignoring those outside", () => {
    const dens = emptyDensity(2, 10, 2);
    expect(dens.cells).toBe(5);
    for (const x of [0, 1, 1.9, 2, 9.99, -1, 10, 55]) addToDensity(dens, 1, x, 2);
    addToDensity(dens, 0, 4, 2);
    addToDensity(dens, 3, 4, 2);
    expect(Array.from(dens.counts)).toEqual([0, 0, 1, 0, 0, 3, 1, 0, 0, 1]);
    expect(dens.max).toBe(3);
  });
  it("shades on a square-root scale", () => {
    expect(densityLevel(0, 10, 4)).toBe(-1);
    expect(densityLevel(10, 10, 4)).toBe(3);
    expect(densityLevel(1, 16, 4)).toBe(1); // a sixteenth of the busiest: a quarter of the way up
    expect(densityLevel(4, 16, 4)).toBe(2);
  });
  it("bundles arrows between the same lanes in the same columns, and keeps classes apart", () => {
    const b = new ArrowBundler(10);
    b.add(0, 1, 0, 1, 4);
    b.add(0, 1, 0, 3, 6);
    b.add(0, 1, 0, 12, 16); // another column
    b.add(1, 0, 0, 2, 5); // the other direction
    b.add(0, 1, 1, 2, 5); // another class (a response)
    expect(b.bundles).toHaveLength(4);
    const first = b.bundles[0]!;
    expect(first).toMatchObject({ from: 0, to: 1, cls: 0, count: 2, x0: 2, x1: 5 });
    b.coarsen(3, 100);
    expect(b.bundles).toHaveLength(3);
    expect(b.bundles[0]).toMatchObject({ from: 0, to: 1, cls: 0, count: 3 });
    expect(bundleWidth(1)).toBe(1);
    expect(bundleWidth(8)).toBe(4);
    expect(bundleWidth(10_000)).toBe(6);
  });
  it("turns a big run's thousands of arrows at Fit into far fewer bundles", () => {
    const { trace } = runText(closedLoopSource(10, 4000));
    const d = trace.data;
    const b = new ArrowBundler(10);
    let arrows = 0;
    const span = d.time[d.length - 1]! || 1;
    for (let i = 0; i < d.length; i++) {
      if (trace.kindName(i) !== "deliver") continue;
      const m = d.ref[i]!;
      const s = d.messages.send[m]!;
      b.add(d.messages.from[m]!, d.messages.to[m]!, 0, (d.time[s]! / span) * 1200, (d.time[i]! / span) * 1200);
      arrows++;
    }
    expect(arrows).toBeGreaterThan(2000);
    b.coarsen(600, 1200);
    expect(b.bundles.length).toBeLessThanOrEqual(600);
    expect(b.columnPx).toBeGreaterThan(10);
    expect(b.bundles.reduce((s, x) => s + x.count, 0)).toBe(arrows);
    expect(b.bundles.every((x) => x.x0 >= 0 && x.x1 <= 1200 && x.x0 <= x.x1)).toBe(true);
  });
});
