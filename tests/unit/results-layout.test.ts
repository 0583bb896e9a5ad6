// The diagram's model and geometry: arrows from send to arrival, down intervals, same-instant
// offsets, the time <-> pixel mapping under zoom and pan, visible ranges and hit testing.
import { describe, expect, it } from "vitest";
import { buildDiagramModel, isDown, lowerBound, nextDownAfter, upperBound, SAME_INSTANT_OFFSET_PX } from "@/app/_components/results/diagram-model";
import {
  arrowCandidates, centerView, clampView, dropStub, eventPoint, eventRange, fitView, hitTest, inView, laneY, makeFrame,
  panView, timeToX, viewAround, xToTime, zoomView, VIEW_SPAN_MIN_US, DIAGRAM_HEIGHT_MAX_PX,
} from "@/app/_components/results/viewport";
import { formatTick, formatUs, niceStep, niceTicks } from "@/app/_components/results/time";
import { closedLoopSource, runTemplate, runText } from "./results-fixtures";
import type { NodeBehavior } from "@/server/sim/nodes/api";

/** C1 writes once to C2, which is paused from 5 ms to 205 ms (the request waits). */
const PAUSED = `version: 1
name: paused server
until: 1s
nodes: [{ id: C1, role: client }, { id: C2, role: server }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s }, server: { processing: 1ms } }
workload: [{ client: C1, server: C2, op: write, key: k, value: v, count: 1 }]
faults:
  - { kind: pause, node: C2, from: 5ms, until: 205ms }
checks: [all-complete, at-most-once]
`;

describe("diagram model", () => {
  it("leaves out the lanes of the services a run of programs never used, never a declared node's", () => {
    const program = (uses: string) => `version: 1
name: echo
nodes: [{ id: n1 }, { id: idle }]
network: { latency: 1ms }
protocol: { kind: custom, main: p.js, files: { p.js: "// a node" } }
workload: [{ kind: ${uses}, rate: 5, duration: 1s, recovery: 1s }]
`;
    const echo: NodeBehavior = {
      start: () => undefined,
      timer: () => undefined,
      // n1 answers; with lin-kv as the workload it first asks the lin-kv service once.
      receive: (ctx, src, body) => {
        if (src === "lin-kv") return;
        if (body.type === "read") ctx.send("lin-kv", { type: "read", key: 0, msg_id: 1 });
        ctx.send(src, { type: `${body.type}_ok`, echo: body.echo, in_reply_to: body.msg_id });
      },
    };
    const host = { behaviors: () => () => echo };
    const quiet = runText(program("echo"), 1, host).trace;
    expect(quiet.nodes.slice(-4)).toEqual(["lin-kv", "seq-kv", "lww-kv", "lin-tso"]);
    // The idle services go; the declared node "idle", which did nothing, keeps its lane.
    const lanes = buildDiagramModel(quiet).nodeCount;
    expect(quiet.nodes.slice(0, lanes)).toEqual(quiet.nodes.slice(0, -4));
    expect(quiet.nodes.slice(0, lanes)).toContain("idle");
    // A service that was asked keeps its lane (and those before it).
    const asked = runText(program("lin-kv"), 1, host).trace;
    expect(asked.nodes.slice(0, buildDiagramModel(asked).nodeCount).at(-1)).toBe("lin-kv");
    // Other layouts keep every node.
    const rr = runTemplate("response-lost").trace;
    expect(buildDiagramModel(rr).nodeCount).toBe(rr.nodes.length);
  });

  it("draws one arrow per delivery or drop, from the message's send", () => {
    const { trace } = runTemplate("response-lost");
    const model = buildDiagramModel(trace);
    // send -> deliver, respond -> drop (fault), resend -> deliver, respond -> deliver.
    expect(Array.from(model.arrowEnd)).toEqual([2, 6, 9, 13]);
    expect(Array.from(model.arrowStart)).toEqual([1, 5, 8, 12]);
    expect(model.arrowOf[6]).toBe(1);
    expect(model.arrowOf[5]).toBe(-1);
    for (let a = 0; a < model.arrowEnd.length; a++) expect(trace.cause(model.arrowEnd[a]!)).toBe(model.arrowStart[a]);
    expect(model.maxArrowSpanUs).toBe(10_000);
    expect(model.startUs).toBe(0);
    expect(model.endUs).toBe(121_000);
  });

  it("knows when a node was down, from its crash to its restart", () => {
    const { trace } = runTemplate("server-crash");
    const model = buildDiagramModel(trace);
    expect(Array.from(model.down[1]!)).toEqual([50_000, 1_000_000]);
    expect(model.down[0]!.length).toBe(0);
    expect(isDown(model, 1, 49_999)).toBe(false);
    expect(isDown(model, 1, 50_000)).toBe(true);
    expect(isDown(model, 1, 1_000_000)).toBe(false);
    // C2's processing that started at 10 ms is cut off by the crash at 50 ms.
    expect(nextDownAfter(model, 1, 10_000)).toBe(50_000);
    expect(nextDownAfter(model, 1, 60_000)).toBe(Infinity);
  });

  it("a node that never comes back stays down to the end of the run", () => {
    const { trace } = runTemplate("unknown-computer");
    const model = buildDiagramModel(trace);
    expect(Array.from(model.down[2]!)).toEqual([1_500_000, model.endUs]);
  });

  it("knows when a node was paused, from its pause to its resume, apart from when it was down", () => {
    const { trace } = runText(PAUSED);
    const model = buildDiagramModel(trace);
    expect(Array.from(model.paused[1]!)).toEqual([5_000, 205_000]);
    expect(model.paused[0]!.length).toBe(0);
    expect(model.down[1]!.length).toBe(0);
    // Cut off by the end of the run, a pause lasts to the end of the diagram.
    const cut = buildDiagramModel(runText(PAUSED.replace("until: 205ms", "until: 50s")).trace);
    expect(Array.from(cut.paused[1]!)).toEqual([5_000, cut.endUs]);
  });

  it("spreads events of one node at one instant, in order", () => {
    const { trace } = runTemplate("response-lost");
    const model = buildDiagramModel(trace);
    // issue and send on C1 at 0; execute, respond and drop on C2 at 11 ms.
    expect([model.rank[0], model.rank[1]]).toEqual([0, 1]);
    expect([model.rank[4], model.rank[5], model.rank[6]]).toEqual([0, 1, 2]);
    // The deliver at 10 ms on C2 is the first there.
    expect(model.rank[2]).toBe(0);
  });
});

describe("viewport", () => {
  const { trace } = runTemplate("response-lost");
  const model = buildDiagramModel(trace);
  const frame = makeFrame(1000, model.nodeCount);

  it("maps time to x and back", () => {
    const view = { t0: 0, t1: 100_000 };
    expect(timeToX(view, frame, 0)).toBe(frame.left);
    expect(timeToX(view, frame, 100_000)).toBe(frame.width - frame.right);
    for (const t of [0, 123, 50_000, 99_999]) expect(xToTime(view, frame, timeToX(view, frame, t))).toBeCloseTo(t, 6);
  });

  it("fits the whole run with a margin and never zooms past the limits", () => {
    const fit = fitView(model);
    expect(fit.t0).toBeLessThan(0);
    expect(fit.t1).toBeGreaterThan(121_000);
    expect(clampView({ t0: -1e9, t1: 1e9 }, model)).toEqual(fit);
    const tiny = clampView({ t0: 5000, t1: 5001 }, model);
    expect(tiny.t1 - tiny.t0).toBe(VIEW_SPAN_MIN_US);
  });

  it("zooms around the anchor: the time under the pointer stays under it", () => {
    const view = fitView(model);
    const anchor = 40_000;
    const x = timeToX(view, frame, anchor);
    const zoomed = zoomView(view, 4, anchor, model);
    expect((zoomed.t1 - zoomed.t0) * 4).toBeCloseTo(view.t1 - view.t0, 6);
    expect(timeToX(zoomed, frame, anchor)).toBeCloseTo(x, 6);
    const back = zoomView(zoomed, 0.25, anchor, model);
    expect(back.t0).toBeCloseTo(view.t0, 6);
    expect(back.t1).toBeCloseTo(view.t1, 6);
  });

  it("pans by pixels and stops at the run's ends", () => {
    const view = { t0: 20_000, t1: 40_000 };
    const moved = panView(view, frame, -100, model);
    const dt = (100 / (frame.width - frame.left - frame.right)) * 20_000;
    expect(moved.t0).toBeCloseTo(20_000 + dt, 6);
    expect(moved.t1 - moved.t0).toBeCloseTo(20_000, 6);
    const far = panView(view, frame, 1e7, model);
    expect(far.t0).toBeCloseTo(fitView(model).t0, 6);
    const centred = centerView(view, 100_000, model);
    expect((centred.t0 + centred.t1) / 2).toBeCloseTo(100_000, 6);
  });

  it("finds the events and the arrows that can cross the visible window", () => {
    const view = { t0: 105_000, t1: 112_000 };
    const [from, to] = eventRange(model, view.t0, view.t1);
    expect(Array.from({ length: to - from }, (_, k) => from + k)).toEqual([9, 10, 11, 12]);
    const [a0, a1] = arrowCandidates(model, view);
    // The resend at 100 ms arrives at 110 ms (arrow 2) and the answer sent at 111 ms lands at 121 ms (arrow 3).
    const arrows = Array.from({ length: a1 - a0 }, (_, k) => a0 + k);
    expect(arrows).toContain(2);
    expect(arrows).toContain(3);
    expect(arrows).not.toContain(0);
  });

  it("binary searches ascending times", () => {
    const t = [0, 0, 5, 5, 5, 9];
    expect(lowerBound(t, t.length, 5)).toBe(2);
    expect(upperBound(t, t.length, 5)).toBe(5);
    expect(lowerBound(t, t.length, 10)).toBe(6);
    expect(upperBound(t, t.length, -1)).toBe(0);
  });

  it("draws a drop at the send as a stub towards the receiver; a drop at a down receiver as a full arrow", () => {
    const view = fitView(model);
    const stub = dropStub(model, view, frame, 6)!;
    expect(stub).not.toBeNull();
    // From C2's lane (the sender of the lost response), part of the way towards C1's.
    expect(stub.y0).toBe(laneY(frame, 1));
    expect(stub.y1).toBeLessThan(stub.y0);
    expect(stub.y1).toBeGreaterThan(laneY(frame, 0));
    expect(eventPoint(model, view, frame, 6)).toEqual({ x: stub.x1, y: stub.y1 });

    const crash = buildDiagramModel(runTemplate("server-crash").trace);
    expect(dropStub(crash, fitView(crash), makeFrame(1000, 2), 7)).toBeNull();
  });

  it("hit-tests the nearest event mark", () => {
    const view = fitView(model);
    for (const i of [0, 4, 7, 11, 14]) {
      const p = eventPoint(model, view, frame, i);
      expect(hitTest(model, view, frame, p.x, p.y, 3)).toBe(i);
    }
    // Far from every lane: nothing.
    expect(hitTest(model, view, frame, frame.width / 2, laneY(frame, 0) + 40, 6)).toBe(-1);
    // Same-instant events are told apart by their offset.
    const p0 = eventPoint(model, view, frame, 0);
    const p1 = eventPoint(model, view, frame, 1);
    expect(p1.x - p0.x).toBe(SAME_INSTANT_OFFSET_PX);
  });

  it("opens a long run around a step, and knows what is in view", () => {
    const big = buildDiagramModel(runText(closedLoopSource(10, 5000)).trace);
    const view = viewAround(big, 5000, 30);
    const t = big.trace.data.time[5000]!;
    const f = makeFrame(1000, big.nodeCount);
    expect(inView(view, f, t)).toBe(true);
    const [from, to] = eventRange(big, view.t0, view.t1);
    expect(to - from).toBeLessThan(400);
    expect(to - from).toBeGreaterThanOrEqual(60);
    expect(f.height).toBeLessThanOrEqual(DIAGRAM_HEIGHT_MAX_PX);
  });
});

describe("time axis", () => {
  it("picks 1-2-5 steps and ticks on their multiples", () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1.3)).toBe(2);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(1400)).toBe(2000);
    const { step, ticks } = niceTicks(-2_420, 123_420, 8);
    expect(step).toBe(20_000);
    expect(ticks).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000]);
  });

  it("labels ticks in the unit of the step", () => {
    expect(formatTick(120_000, 20_000)).toBe("120 ms");
    expect(formatTick(1_500_000, 500_000)).toBe("1.5 s");
    expect(formatTick(3_000_000, 1_000_000)).toBe("3 s");
    expect(formatTick(250, 50)).toBe("250 µs");
    expect(formatTick(12_500, 500)).toBe("12.5 ms");
    // One axis, one unit: ticks near zero on a 2-second axis still read in seconds.
    expect(formatTick(0, 500_000, 2_000_000)).toBe("0 s");
    expect(formatTick(500_000, 500_000, 2_000_000)).toBe("0.5 s");
    expect(formatTick(12_000_100, 50, 12_000_200)).toBe("12.0001 s");
  });

  it("formats times with a unit that suits them", () => {
    expect(formatUs(250)).toBe("250 µs");
    expect(formatUs(11_000)).toBe("11 ms");
    expect(formatUs(121_000)).toBe("121 ms");
    expect(formatUs(1_234)).toBe("1.234 ms");
    expect(formatUs(1_120_000)).toBe("1.12 s");
  });
});
