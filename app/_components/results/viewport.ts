// The diagram's geometry: which stretch of virtual time is on screen (zoom, pan, fit,
// centre on an event), where each node's line and each event's mark are, and hit testing.

import { EV_DROP, NO_NODE } from "@/server/sim/trace/kinds";
import { SAME_INSTANT_OFFSET_PX, lowerBound, upperBound, type DiagramModel } from "./diagram-model";

/** The visible stretch of virtual time, µs. */
export interface View {
  t0: number;
  t1: number;
}

/** The canvas's layout in CSS pixels. */
export interface Frame {
  width: number;
  height: number;
  /** Width of the node-name gutter on the left. */
  left: number;
  /** Space kept free on the right of the plot. */
  right: number;
  /** Height of the time axis on top. */
  top: number;
  /** Height of one node's lane. */
  laneH: number;
  /** Vertical scroll of the lanes (many nodes), px. */
  scrollY: number;
}

/** Zooming in stops at this many µs across the plot (a few events per µs are never distinguishable). */
export const VIEW_SPAN_MIN_US = 20;
/** Zoomed out, the run fills the plot with this fraction of its length as margin on each side. */
export const FIT_MARGIN = 0.02;
export const GUTTER_PX = 56;
export const AXIS_PX = 26;
export const RIGHT_PX = 16;
/** Canvas height limit; more nodes than fit scroll vertically. */
export const DIAGRAM_HEIGHT_MAX_PX = 520;
/** A drop at the send is drawn as a stub this far (fraction of the lane gap) towards the receiver. */
export const DROP_STUB_FRACTION = 0.45;
export const DROP_STUB_PX = 14;

/** Lane height for a number of nodes: roomy for the slide's two or three computers, compact for many. */
export function laneHeight(nodes: number): number {
  if (nodes <= 3) return 92;
  if (nodes <= 8) return 64;
  return Math.max(22, Math.min(44, Math.floor(460 / nodes)));
}

export function makeFrame(width: number, nodes: number, scrollY = 0): Frame {
  const laneH = laneHeight(nodes);
  const height = Math.min(DIAGRAM_HEIGHT_MAX_PX, AXIS_PX + laneH * Math.max(1, nodes) + 8);
  const frame: Frame = { width, height, left: GUTTER_PX, right: RIGHT_PX, top: AXIS_PX, laneH, scrollY: 0 };
  frame.scrollY = clampScroll(frame, nodes, scrollY);
  return frame;
}

export function clampScroll(frame: Frame, nodes: number, scrollY: number): number {
  const content = frame.top + frame.laneH * nodes + 8;
  return Math.max(0, Math.min(scrollY, content - frame.height));
}

export function plotWidth(frame: Frame): number {
  return Math.max(1, frame.width - frame.left - frame.right);
}

export function timeToX(view: View, frame: Frame, tUs: number): number {
  return frame.left + ((tUs - view.t0) / (view.t1 - view.t0)) * plotWidth(frame);
}

export function xToTime(view: View, frame: Frame, x: number): number {
  return view.t0 + ((x - frame.left) / plotWidth(frame)) * (view.t1 - view.t0);
}

/** The y of a node's line (centre of its lane). */
export function laneY(frame: Frame, node: number): number {
  return frame.top + frame.laneH * (node + 0.5) - frame.scrollY;
}

/** The whole run with a small margin. */
export function fitView(model: Pick<DiagramModel, "startUs" | "endUs">): View {
  const span = model.endUs - model.startUs;
  return { t0: model.startUs - span * FIT_MARGIN, t1: model.endUs + span * FIT_MARGIN };
}

/** Keeps a view within the run (plus margin) and no narrower than the minimum span. */
export function clampView(view: View, model: Pick<DiagramModel, "startUs" | "endUs">): View {
  const full = fitView(model);
  const fullSpan = full.t1 - full.t0;
  let span = Math.min(fullSpan, Math.max(VIEW_SPAN_MIN_US, view.t1 - view.t0));
  if (!Number.isFinite(span) || span <= 0) span = fullSpan;
  let t0 = view.t0;
  if (!Number.isFinite(t0)) t0 = full.t0;
  t0 = Math.max(full.t0, Math.min(t0, full.t1 - span));
  return { t0, t1: t0 + span };
}

/** Zooms by `factor` (> 1 zooms in) keeping the time under `anchorUs` where it is. */
export function zoomView(view: View, factor: number, anchorUs: number, model: Pick<DiagramModel, "startUs" | "endUs">): View {
  const f = factor > 0 ? factor : 1;
  const t0 = anchorUs - (anchorUs - view.t0) / f;
  const t1 = anchorUs + (view.t1 - anchorUs) / f;
  const clamped = clampView({ t0, t1 }, model);
  // At the zoom limits, keep the anchor fixed rather than jumping.
  if (clamped.t1 - clamped.t0 !== t1 - t0) {
    const span = clamped.t1 - clamped.t0;
    const frac = (anchorUs - view.t0) / (view.t1 - view.t0);
    return clampView({ t0: anchorUs - frac * span, t1: anchorUs - frac * span + span }, model);
  }
  return clamped;
}

/** Moves the view by `dxPx` pixels (positive: the content moves right, so earlier time comes into view). */
export function panView(view: View, frame: Frame, dxPx: number, model: Pick<DiagramModel, "startUs" | "endUs">): View {
  const dt = (dxPx / plotWidth(frame)) * (view.t1 - view.t0);
  return clampView({ t0: view.t0 - dt, t1: view.t1 - dt }, model);
}

/** The same zoom, centred on `tUs`. */
export function centerView(view: View, tUs: number, model: Pick<DiagramModel, "startUs" | "endUs">): View {
  const span = view.t1 - view.t0;
  return clampView({ t0: tUs - span / 2, t1: tUs + span / 2 }, model);
}

/**
 * A view around event i showing about `neighbours` events on either side (at least the minimum span):
 * where a permalink to one step opens in a long run.
 */
export function viewAround(model: DiagramModel, i: number, neighbours: number): View {
  const time = model.trace.data.time;
  const n = model.length;
  if (n === 0) return fitView(model);
  const lo = time[Math.max(0, i - neighbours)]!;
  const hi = time[Math.min(n - 1, i + neighbours)]!;
  const t = time[i]!;
  const half = Math.max(VIEW_SPAN_MIN_US, hi - t, t - lo) * 1.1;
  return clampView({ t0: t - half, t1: t + half }, model);
}

/** Whether event i's time is inside the view (with a margin in pixels). */
export function inView(view: View, frame: Frame, tUs: number, marginPx = 12): boolean {
  const x = timeToX(view, frame, tUs);
  return x >= frame.left + marginPx && x <= frame.width - frame.right - marginPx;
}

/** Indices [from, to) of events whose time is in [t0, t1]. */
export function eventRange(model: DiagramModel, t0: number, t1: number): [number, number] {
  const time = model.trace.data.time;
  return [lowerBound(time, model.length, t0), upperBound(time, model.length, t1)];
}

/** Arrows [from, to) (by arrow number) whose end lies in [t0, t1 + maxArrowSpan]: every arrow that can cross the view. */
export function arrowCandidates(model: DiagramModel, view: View): [number, number] {
  const time = model.trace.data.time;
  const ends = model.arrowEnd;
  // Arrow ends are event indices in ascending order, so their times ascend too: binary search them.
  const search = (t: number, inclusive: boolean) => {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = time[ends[mid]!]!;
      if (inclusive ? v <= t : v < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [search(view.t0, false), search(view.t1 + model.maxArrowSpanUs, true)];
}

/** Where event i's mark is drawn (x, y), in CSS pixels. */
export function eventPoint(model: DiagramModel, view: View, frame: Frame, i: number): { x: number; y: number } {
  const d = model.trace.data;
  const node = d.node[i]!;
  const x = timeToX(view, frame, d.time[i]!) + model.rank[i]! * SAME_INSTANT_OFFSET_PX;
  if (node === NO_NODE) return { x, y: frame.top + 4 };
  const y = laneY(frame, node);
  if (d.kind[i] === EV_DROP) {
    const stub = dropStub(model, view, frame, i);
    if (stub) return { x: stub.x1, y: stub.y1 };
  }
  return { x, y };
}

/**
 * A drop recorded at the send (on the sender: loss, partition, fault rule) has no arrival, so it is
 * drawn as a short stub from the send towards the receiver, ending in a cross. Null for a drop at
 * the receiver (receiver down), which is drawn as a full arrow to where it arrived.
 */
export function dropStub(model: DiagramModel, view: View, frame: Frame, i: number): { x0: number; y0: number; x1: number; y1: number } | null {
  const d = model.trace.data;
  const m = d.ref[i]!;
  const node = d.node[i]!;
  const from = d.messages.from[m]!;
  if (node !== from) return null;
  const to = d.messages.to[m]!;
  const s = d.messages.send[m]!;
  const x0 = timeToX(view, frame, d.time[s]!) + model.rank[s]! * SAME_INSTANT_OFFSET_PX;
  const y0 = laneY(frame, from);
  const y1 = y0 + (laneY(frame, to) - y0) * DROP_STUB_FRACTION;
  return { x0, y0, x1: x0 + DROP_STUB_PX, y1 };
}

/** The event whose mark is nearest to (x, y) within `radiusPx`, or -1. */
export function hitTest(model: DiagramModel, view: View, frame: Frame, x: number, y: number, radiusPx = 8): number {
  if (model.length === 0) return -1;
  const pad = radiusPx + DROP_STUB_PX + 4 * SAME_INSTANT_OFFSET_PX;
  const [from, to] = eventRange(model, xToTime(view, frame, x - pad), xToTime(view, frame, x + pad));
  let best = -1;
  let bestD = radiusPx * radiusPx;
  // Bound the scan: zoomed far out, a few pixels can hold thousands of events; the first ones win.
  const limit = Math.min(to, from + 20_000);
  for (let i = from; i < limit; i++) {
    const p = eventPoint(model, view, frame, i);
    const dx = p.x - x;
    const dy = p.y - y;
    const dist = dx * dx + dy * dy;
    if (dist <= bestD) {
      bestD = dist;
      best = i;
    }
  }
  return best;
}
