// Draws the space-time diagram on a canvas: only what is in the visible time window, every
// mark of one style added to one path and stroked once, so 100,000 events stay interactive.

import {
  EV_ABANDON, EV_ACCEPT, EV_BACKOFF, EV_CRASH, EV_DEDUPE_HIT, EV_DELIVER, EV_DROP, EV_DUPLICATE, EV_ENQUEUE,
  EV_EXECUTE, EV_FAIL, EV_IGNORE, EV_ISSUE, EV_PROCESS, EV_RESEND, EV_RESPOND, EV_RESTART, EV_SEND, EV_STOP,
  EV_TIMEOUT, EV_WITHHOLD, NO_NODE, DROP_REASONS, BYZ_BEHAVIORS, EV_TIMER, EV_LOG, EV_NOTE, EV_INVOKE, EV_COMPLETE,
  EV_START, EV_NODE_ERROR, EV_PAUSE, EV_RESUME, OUTCOME_OK, OUTCOME_FAIL,
} from "@/server/sim/trace/kinds";
import { nodesArrowColor, noteLabel } from "./node-view";
import { roleColor } from "@/app/_components/results/protocol-state";
import { SAME_INSTANT_OFFSET_PX, nextDownAfter, type DiagramModel } from "@/app/_components/results/diagram-model";
import {
  DROP_STUB_PX, arrowCandidates, dropStub, eventPoint, eventRange, laneY, plotWidth, timeToX, type Frame, type View,
} from "@/app/_components/results/viewport";
import { formatTick, niceTicks } from "@/app/_components/results/time";
import { ArrowBundler, addToDensity, bundleWidth, densityLevel, emptyDensity, type LaneDensity } from "@/app/_components/results/density";
import { VIS_FULL, VIS_HIDDEN, type DiagramLens } from "@/app/_components/results/diagram-lens";
import { downLabelX } from "./down-label";
import { COLORS, DIM_ALPHA, HIGHLIGHT_COLORS, type HighlightTone } from "./styles";

/** Text labels ("lost: loss", "timeout", "retry") are drawn when at most this many events are visible. */
export const LABEL_EVENTS_MAX = 1500;
/** At most this many labels in one frame, however many would fit. */
export const LABELS_MAX = 400;
/** Beyond this many candidate arrows, arrows that land on the same pixels are drawn once. */
export const ARROW_DEDUPE_MIN = 4000;
/**
 * More visible events than this many per pixel of plot width is a dense view (zoomed far out on a
 * long run): routine marks (issue, send, deliver, accept...) become a density band per node, only
 * the marks of things going wrong stay, and arrows are sampled. Canvas rasterizes every primitive
 * at paint time, so the number of primitives, not the JavaScript, is what a frame costs.
 */
export const DENSE_EVENTS_PER_PX = 1.5;
/** In a dense view, arrows between the same two lanes within this many pixels are drawn as one bundle. */
export const BUNDLE_BUCKET_PX = 8;
/** Outside a dense view, a column of BUNDLE_BUCKET_PX holding more arrow starts than this is a busy stretch, bundled. */
export const CROWDED_ARROWS_PER_COLUMN = 8;
/** A dense view draws at most about this many bundles (columns widen until they fit). */
export const BUNDLES_MAX = 900;
/** In a dense view, marks of one kind on one node are at least this many pixels apart. */
export const DENSE_MARK_SPACING_PX = 5;
/** Width of one density-band cell, px. */
const BAND_CELL_PX = 2;

export interface DrawOptions {
  selected: number;
  hover: number;
  /** The event whose causal past is shown (hover, else selection), and its past as a mask; null: nothing dimmed. */
  past: Uint8Array | null;
  highlights: { indices: ArrayLike<number>; tone: HighlightTone }[];
  /** The reader's filter, collapsed retries and focus (null: every event drawn as it is). */
  lens?: DiagramLens | null;
  /** False: leave out the highlights, hover and selection (drawn later with drawOverlays). */
  overlays?: boolean;
}

export interface DrawStats {
  events: number;
  arrows: number;
  /** Whether the view was dense (density band, bundled arrows). */
  dense: boolean;
  /** Arrow bundles drawn in a dense view. */
  bundles: number;
  /** "×N" badges of collapsed retries drawn. */
  badges: number;
}

interface Style {
  stroke?: string;
  fill?: string;
  width: number;
  dash?: number[];
  alpha: number;
}

/** Marks of one style collect in one path; a layer's paths are drawn in the order their styles first appear. */
class Layer {
  private readonly paths = new Map<string, { style: Style; path: Path2D }>();
  path(key: string, style: Style): Path2D {
    let p = this.paths.get(key);
    if (!p) {
      p = { style, path: new Path2D() };
      this.paths.set(key, p);
    }
    return p.path;
  }
  flush(ctx: CanvasRenderingContext2D): void {
    for (const { style, path } of this.paths.values()) {
      ctx.globalAlpha = style.alpha;
      if (style.fill) {
        ctx.fillStyle = style.fill;
        ctx.fill(path);
      }
      if (style.stroke) {
        ctx.strokeStyle = style.stroke;
        ctx.lineWidth = style.width;
        ctx.setLineDash(style.dash ?? []);
        ctx.stroke(path);
      }
    }
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
  }
}

function stroke(color: string, width: number, dim: boolean, dash?: number[]): [string, Style] {
  return [`s${color}${width}${dash ? dash.join(",") : ""}${dim ? "d" : ""}`, { stroke: color, width, dash, alpha: dim ? DIM_ALPHA : 1 }];
}
function fill(color: string, dim: boolean): [string, Style] {
  return [`f${color}${dim ? "d" : ""}`, { fill: color, width: 0, alpha: dim ? DIM_ALPHA : 1 }];
}

// Glyph classes for thinning: marks of one class on one lane at the same pixel are drawn once.
const GLYPH_CLASSES = 32;

export function drawDiagram(ctx: CanvasRenderingContext2D, model: DiagramModel, view: View, frame: Frame, opts: DrawOptions, dpr: number): DrawStats {
  const d = model.trace.data;
  // Request-response messages carry attempts and Byzantine answers; other layouts draw plain arrows.
  const rr = d.layout === "request-response" ? d.messages : null;
  const nodes = d.nodes;
  const { width, height, left, top, laneH } = frame;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  const x = (t: number) => timeToX(view, frame, t);
  const ex = (i: number) => x(d.time[i]!) + model.rank[i]! * SAME_INSTANT_OFFSET_PX;
  const past = opts.past;
  const lens = opts.lens ?? null;
  const vis = lens?.vis ?? null;
  const focusActive = lens?.focusActive ?? false;
  // A focused request dims everything else; otherwise the hovered or selected event's past stays lit.
  const dimmed = focusActive
    ? (i: number) => vis![i] !== VIS_FULL
    : (i: number) => past !== null && !(i < past.length && past[i] === 1);
  const hidden = (i: number) => vis !== null && vis[i] === VIS_HIDDEN;
  /** In a dense view, focused events are still drawn one by one. */
  const standsOut = (i: number) => focusActive && vis![i] === VIS_FULL;
  const plotRight = width - frame.right;

  // Nodes on screen (many nodes scroll vertically).
  const firstNode = Math.max(0, Math.floor((frame.scrollY - laneH) / laneH));
  const lastNode = Math.min(model.nodeCount - 1, Math.ceil((frame.scrollY + height - top) / laneH));
  const nodeVisible = (n: number) => n >= firstNode && n <= lastNode;

  // 1. Time grid and axis.
  const { step, ticks } = niceTicks(view.t0, view.t1, Math.max(2, Math.floor(plotWidth(frame) / 110)));
  ctx.strokeStyle = COLORS.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const t of ticks) {
    const tx = Math.round(x(t)) + 0.5;
    ctx.moveTo(tx, top);
    ctx.lineTo(tx, height);
  }
  ctx.stroke();

  ctx.save();
  ctx.beginPath();
  ctx.rect(left - 6, top, width - left + 6, height - top);
  ctx.clip();

  // 2a. A protocol's roles as bands behind the lanes (leader, candidate, follower...), and where
  // its term, ballot or view changes.
  for (const r of model.roles) {
    if (r.node < firstNode || r.node > lastNode || r.toUs < view.t0 || r.fromUs > view.t1) continue;
    const y = laneY(frame, r.node);
    const xa = Math.max(left, x(r.fromUs));
    const xb = Math.min(plotRight, x(r.toUs));
    if (xb <= xa) continue;
    ctx.fillStyle = roleColor(r.role);
    ctx.fillRect(xa, y - laneH * 0.28, xb - xa, laneH * 0.56);
    if (xb - xa > 70) {
      ctx.fillStyle = COLORS.lane;
      ctx.font = "10px system-ui, sans-serif";
      ctx.fillText(r.role, xa + 4, y + laneH * 0.28 - 3);
    }
  }
  for (const m of model.epochs) {
    if (m.node < firstNode || m.node > lastNode || m.timeUs < view.t0 || m.timeUs > view.t1) continue;
    const y = laneY(frame, m.node);
    const xm = x(m.timeUs);
    ctx.strokeStyle = COLORS.note;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(xm, y - laneH * 0.32);
    ctx.lineTo(xm, y - laneH * 0.12);
    ctx.stroke();
    ctx.fillStyle = COLORS.note;
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillText(m.label, xm + 2, y - laneH * 0.32 + 8);
  }

  // 2. Lanes, broken and greyed while their node is down.
  for (let n = firstNode; n <= lastNode; n++) {
    const y = Math.round(laneY(frame, n)) + 0.5;
    const iv = model.down[n]!;
    ctx.strokeStyle = COLORS.lane;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let from = view.t0;
    for (let k = 0; k < iv.length; k += 2) {
      const a = iv[k]!;
      const b = iv[k + 1]!;
      if (b < view.t0 || a > view.t1) continue;
      if (a > from) {
        ctx.moveTo(Math.max(left, x(from)), y);
        ctx.lineTo(x(a), y);
      }
      from = Math.max(from, b);
    }
    if (from < view.t1) {
      ctx.moveTo(Math.max(left, x(from)), y);
      ctx.lineTo(plotRight, y);
    }
    ctx.stroke();
    for (let k = 0; k < iv.length; k += 2) {
      const a = Math.max(view.t0, iv[k]!);
      const b = Math.min(view.t1, iv[k + 1]!);
      if (b < a) continue;
      const xa = x(a);
      const xb = Math.max(xa + 1, x(b));
      ctx.fillStyle = COLORS.downBand;
      ctx.fillRect(xa, y - laneH * 0.32, xb - xa, laneH * 0.64);
      ctx.strokeStyle = COLORS.laneDown;
      ctx.setLineDash([3, 4]);
      ctx.beginPath();
      ctx.moveTo(xa, y);
      ctx.lineTo(xb, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = "11px system-ui, sans-serif";
      const lx = downLabelX(xa, xb, { crash: ctx.measureText("crash").width, down: ctx.measureText("down").width, restart: ctx.measureText("restart").width });
      if (lx !== null) {
        ctx.fillStyle = COLORS.crash;
        ctx.fillText("down", lx, y - laneH * 0.32 + 12);
      }
    }
    // A paused node keeps its line (it is up, with its state) under a band: it processes nothing.
    const pv = model.paused[n]!;
    for (let k = 0; k < pv.length; k += 2) {
      const a = Math.max(view.t0, pv[k]!);
      const b = Math.min(view.t1, pv[k + 1]!);
      if (b < a) continue;
      const xa = x(a);
      const xb = Math.max(xa + 1, x(b));
      ctx.fillStyle = COLORS.pauseBand;
      ctx.fillRect(xa, y - laneH * 0.32, xb - xa, laneH * 0.64);
      ctx.font = "11px system-ui, sans-serif";
      const lx = downLabelX(xa, xb, { crash: ctx.measureText("pause").width, down: ctx.measureText("paused").width, restart: ctx.measureText("resume").width });
      if (lx !== null) {
        ctx.fillStyle = COLORS.pause;
        ctx.fillText("paused", lx, y - laneH * 0.32 + 12);
      }
    }
  }

  // Events in view, and a margin before it for bars (processing, backoff) that reach into it.
  const [i0, i1] = eventRange(model, view.t0 - model.maxBarUs, view.t1);
  const [visFrom] = eventRange(model, view.t0, view.t1);
  let inWindow = i1 - visFrom;
  if (vis && inWindow > plotWidth(frame) * DENSE_EVENTS_PER_PX) {
    // A filter or collapse can thin a busy stretch enough to draw it event by event.
    inWindow = 0;
    for (let i = visFrom; i < i1; i++) if (vis[i] !== VIS_HIDDEN) inWindow++;
  }
  const dense = inWindow > plotWidth(frame) * DENSE_EVENTS_PER_PX;

  // 3. Bars: processing on servers, backoff waits on clients (a dense view shows the band instead).
  const bars = new Layer();
  for (let i = dense && !focusActive ? i1 : i0; i < i1; i++) {
    const k = d.kind[i];
    if (k !== EV_PROCESS && k !== EV_BACKOFF) continue;
    if (hidden(i) || (dense && !standsOut(i))) continue;
    const n = d.node[i]!;
    if (!nodeVisible(n)) continue;
    const t = d.time[i]!;
    const end = Math.min(t + d.aux[i]!, nextDownAfter(model, n, t));
    if (end < view.t0) continue;
    const y = laneY(frame, n);
    const dim = dimmed(i);
    const xa = ex(i);
    const xb = Math.max(xa + 2, x(end));
    if (k === EV_PROCESS) {
      const [key, style] = fill(COLORS.process, dim);
      bars.path(key, style).rect(xa, y - 4, xb - xa, 8);
    } else {
      const [key, style] = fill(COLORS.backoff, dim);
      bars.path(key, style).rect(xa, y - 10, xb - xa, 4);
    }
  }
  bars.flush(ctx);

  // A label is centred on x, or starts at x when `left` (beside a mark it must not cover).
  const labels: { x: number; y: number; text: string; color: string; left?: boolean }[] = [];
  const wantLabels = i1 - visFrom <= LABEL_EVENTS_MAX;

  // 4. Message arrows: send -> delivery, or -> the cross where the message was lost.
  const arrowsLayer = new Layer();
  const heads = new Layer();
  const [a0, a1] = arrowCandidates(model, view);
  const seen = !dense && a1 - a0 > ARROW_DEDUPE_MIN ? new Set<number>() : null;
  // Dense: arrows become bundles per pair of lanes and few pixels; a focused request's stay single.
  // Not dense overall, a busy stretch (a burst of retries, a slow server's queue) still is: arrows
  // that start in a column holding more than a few are bundled there, the rest drawn one by one.
  let crowded: Uint16Array | null = null;
  if (!dense && a1 - a0 > CROWDED_ARROWS_PER_COLUMN) {
    crowded = new Uint16Array(Math.ceil(width / BUNDLE_BUCKET_PX) + 2);
    for (let a = a0; a < a1; a++) {
      const s = model.arrowStart[a]!;
      if (d.time[s]! > view.t1 || (vis !== null && vis[model.arrowEnd[a]!] === VIS_HIDDEN && vis[s] === VIS_HIDDEN)) continue;
      const c = Math.floor(ex(s) / BUNDLE_BUCKET_PX) + 1;
      if (c >= 0 && c < crowded.length) crowded[c] = crowded[c]! + 1;
    }
  }
  const inCrowd = (s: number) => {
    if (dense) return true;
    if (!crowded) return false;
    const c = Math.floor(ex(s) / BUNDLE_BUCKET_PX) + 1;
    return c >= 0 && c < crowded.length && crowded[c]! > CROWDED_ARROWS_PER_COLUMN;
  };
  const bundler = dense || crowded ? new ArrowBundler(BUNDLE_BUCKET_PX) : null;
  let arrowCount = 0;
  for (let a = a0; a < a1; a++) {
    const e = model.arrowEnd[a]!;
    const s = model.arrowStart[a]!;
    if (d.time[s]! > view.t1) continue;
    if (vis !== null && vis[e] === VIS_HIDDEN && vis[s] === VIS_HIDDEN) continue;
    if (bundler && !(standsOut(e) || standsOut(s)) && inCrowd(s)) {
      const m = d.ref[e]!;
      const from = d.messages.from[m]!;
      const to = d.messages.to[m]!;
      if (!nodeVisible(from) && !nodeVisible(to)) continue;
      const sk = d.kind[s];
      const cls = d.kind[e] === EV_DROP ? BUNDLE_LOST : rr === null ? BUNDLE_REQUEST : sk === EV_RESPOND ? BUNDLE_RESPONSE : sk === EV_RESEND ? BUNDLE_RETRY : BUNDLE_REQUEST;
      bundler.add(from, to, cls, ex(s), d.kind[e] === EV_DROP && d.node[e] === from ? ex(s) + DROP_STUB_PX : ex(e));
      continue;
    }
    const m = d.ref[e]!;
    const from = d.messages.from[m]!;
    const to = d.messages.to[m]!;
    if (!nodeVisible(from) && !nodeVisible(to)) continue;
    const sk = d.kind[s];
    const isDrop = d.kind[e] === EV_DROP;
    const copy = isDrop ? (d.aux[e]! >> 2) & 1 : d.aux[e]!;
    // Only responses carry a Byzantine behaviour (the column is not meaningful for requests).
    const byz = rr !== null && rr.type[m] === 1 && rr.byzantine[m]! >= 0;
    const color = rr === null ? nodesArrowColor(model.trace, m) : byz ? COLORS.byzantine : sk === EV_RESPOND ? COLORS.response : sk === EV_RESEND ? COLORS.retry : COLORS.request;
    const dim = dimmed(e) && dimmed(s);
    let x0: number, y0: number, x1: number, y1: number;
    const stub = isDrop ? dropStub(model, view, frame, e) : null;
    if (stub) {
      ({ x0, y0, x1, y1 } = stub);
    } else {
      x0 = ex(s);
      y0 = laneY(frame, from);
      x1 = ex(e);
      y1 = laneY(frame, to);
    }
    if (seen) {
      const key = ((from * 1024 + to) * 8192 + Math.round(Math.max(-1, Math.min(8190, x0)) + 1)) * 8192 + Math.round(Math.max(-1, Math.min(8190, x1)) + 1);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    arrowCount++;
    // A delay fault on the send makes a slow message: a heavier arrow, labelled.
    const slow = d.aux[s]! >= 0;
    const [key, style] = stroke(color, byz || slow ? 2.4 : 1.4, dim, copy === 1 ? [5, 3] : undefined);
    const p = arrowsLayer.path(key, style);
    if (slow && wantLabels) labels.push({ x: (x0 + x1) / 2, y: (y0 + y1) / 2 - 8, text: "slow (delayed)", color });
    p.moveTo(x0, y0);
    p.lineTo(x1, y1);
    if (isDrop) {
      const [ck, cs] = stroke(COLORS.drop, 2.2, dim);
      const c = heads.path(ck, cs);
      c.moveTo(x1 - 5, y1 - 5);
      c.lineTo(x1 + 5, y1 + 5);
      c.moveTo(x1 + 5, y1 - 5);
      c.lineTo(x1 - 5, y1 + 5);
    } else {
      // Arrowhead along the arrow's direction.
      const dx = x1 - x0;
      const dy = y1 - y0;
      const len = Math.hypot(dx, dy) || 1;
      const ux = dx / len;
      const uy = dy / len;
      const [hk, hs] = fill(color, dim);
      const h = heads.path(hk, hs);
      h.moveTo(x1, y1);
      h.lineTo(x1 - ux * 8 - uy * 3.5, y1 - uy * 8 + ux * 3.5);
      h.lineTo(x1 - ux * 8 + uy * 3.5, y1 - uy * 8 - ux * 3.5);
      h.closePath();
    }
  }
  if (bundler) {
    bundler.coarsen(BUNDLES_MAX, plotWidth(frame));
    drawBundles(ctx, bundler, frame, focusActive);
  }
  arrowsLayer.flush(ctx);
  heads.flush(ctx);

  // 5. Event marks, thinned to one per lane, kind and pixel (a few pixels when dense).
  const glyphs = new Layer();
  const lastPx = new Float64Array(nodes.length * GLYPH_CLASSES).fill(-1e9);
  const spacing = dense ? DENSE_MARK_SPACING_PX : 1;
  const band = dense ? emptyDensity(nodes.length, width, BAND_CELL_PX) : null;
  let stopX = -1;
  for (let i = visFrom; i < i1; i++) {
    const k = d.kind[i]!;
    const n = d.node[i]!;
    if (k === EV_STOP) {
      stopX = ex(i);
      continue;
    }
    if (n === NO_NODE || !nodeVisible(n) || hidden(i)) continue;
    const px = ex(i);
    if (band && ROUTINE[k] === 1 && !standsOut(i)) {
      // Routine work becomes the node's density band; a Byzantine answer is never routine.
      if (!(k === EV_RESPOND && rr !== null && rr.byzantine[d.ref[i]!]! >= 0)) {
        addToDensity(band, n, px, BAND_CELL_PX);
        continue;
      }
    }
    const slot = n * GLYPH_CLASSES + k;
    if (px - lastPx[slot]! < spacing && px >= lastPx[slot]!) continue;
    lastPx[slot] = px;
    const y = laneY(frame, n);
    const dim = dimmed(i);
    switch (k) {
      case EV_ISSUE: {
        const [key, style] = stroke(COLORS.issue, 1.5, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px + 3.5, y);
        p.arc(px, y, 3.5, 0, Math.PI * 2);
        break;
      }
      case EV_SEND:
      case EV_RESEND:
      case EV_RESPOND: {
        const m = d.ref[i]!;
        const byz = rr !== null && rr.type[m] === 1 && rr.byzantine[m]! >= 0;
        const color = rr === null ? nodesArrowColor(model.trace, m) : byz ? COLORS.byzantine : k === EV_RESPOND ? COLORS.response : k === EV_RESEND ? COLORS.retry : COLORS.request;
        const [key, style] = fill(color, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px + 3, y);
        p.arc(px, y, 3, 0, Math.PI * 2);
        if (wantLabels && k === EV_RESEND) labels.push({ x: px, y: y + 14, text: `retry ${(rr?.attempt[m] ?? 1) - 1}`, color: COLORS.retry });
        if (wantLabels && byz) labels.push({ x: px, y: y + 14, text: BYZ_BEHAVIORS[rr?.byzantine[m] ?? -1] ?? "byzantine", color: COLORS.byzantine });
        break;
      }
      case EV_DUPLICATE: {
        const [key, style] = stroke(COLORS.request, 1.2, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px + 3, y - 3);
        p.arc(px, y - 3, 3, 0, Math.PI * 2);
        p.moveTo(px + 3, y + 3);
        p.arc(px, y + 3, 3, 0, Math.PI * 2);
        if (wantLabels) labels.push({ x: px, y: y - 12, text: "×2", color: COLORS.request });
        break;
      }
      case EV_DELIVER:
        break; // the arrowhead marks it
      case EV_DROP: {
        if (wantLabels) {
          const stub = dropStub(model, view, frame, i);
          const reason = DROP_REASONS[d.aux[i]! & 3] ?? "lost";
          const p = stub ? { x: stub.x1, y: stub.y1 } : { x: px, y };
          labels.push({ x: p.x + 8, y: p.y, text: `lost: ${reason.replace("-", " ")}`, color: COLORS.drop, left: true });
        }
        break;
      }
      case EV_TIMEOUT: {
        const [key, style] = stroke(COLORS.timeout, 1.8, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px, y - 6);
        p.lineTo(px + 5, y);
        p.lineTo(px, y + 6);
        p.lineTo(px - 5, y);
        p.closePath();
        if (wantLabels) labels.push({ x: px, y: y - 12, text: "timeout", color: COLORS.timeout });
        break;
      }
      case EV_BACKOFF:
        if (wantLabels) labels.push({ x: px, y: y - 26, text: "backoff", color: COLORS.timeout });
        break;
      case EV_ENQUEUE: {
        const [key, style] = stroke(COLORS.lane, 1, dim);
        glyphs.path(key, style).rect(px - 3, y - 3, 6, 6);
        if (wantLabels) labels.push({ x: px, y: y + 14, text: `queued (${d.aux[i]})`, color: COLORS.lane });
        break;
      }
      case EV_PROCESS:
        break; // the bar marks it
      case EV_EXECUTE: {
        const [key, style] = fill(COLORS.execute, dim);
        glyphs.path(key, style).rect(px - 4, y - 4, 8, 8);
        break;
      }
      case EV_DEDUPE_HIT: {
        const [key, style] = stroke(COLORS.dedupe, 2, dim);
        glyphs.path(key, style).rect(px - 4, y - 4, 8, 8);
        if (wantLabels) labels.push({ x: px, y: y + 16, text: "dedupe", color: COLORS.dedupe });
        break;
      }
      case EV_ACCEPT: {
        const [key, style] = stroke(COLORS.accept, 2.2, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px - 4, y - 1);
        p.lineTo(px - 1, y + 3);
        p.lineTo(px + 5, y - 5);
        break;
      }
      case EV_IGNORE: {
        const [key, style] = stroke(COLORS.ignore, 1.5, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px + 4, y);
        p.arc(px, y, 4, 0, Math.PI * 2);
        if (wantLabels) labels.push({ x: px, y: y + 16, text: d.aux[i] === 1 ? "duplicate" : "late", color: COLORS.ignore });
        break;
      }
      case EV_FAIL: {
        const [key, style] = stroke(COLORS.fail, 3, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px - 6, y - 6);
        p.lineTo(px + 6, y + 6);
        p.moveTo(px + 6, y - 6);
        p.lineTo(px - 6, y + 6);
        if (wantLabels) labels.push({ x: px, y: y + 18, text: "failed", color: COLORS.fail });
        break;
      }
      case EV_CRASH:
      case EV_RESTART: {
        const color = k === EV_CRASH ? COLORS.crash : COLORS.restart;
        const [key, style] = stroke(color, 3, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px, y - laneH * 0.32);
        p.lineTo(px, y + laneH * 0.32);
        if (k === EV_CRASH) {
          // A lightning-like zigzag reads as "crash" at a glance.
          p.moveTo(px - 5, y - 8);
          p.lineTo(px + 2, y - 1);
          p.lineTo(px - 3, y + 1);
          p.lineTo(px + 5, y + 8);
        }
        if (wantLabels) labels.push({ x: px + 4, y: y - laneH * 0.32 + 2, text: k === EV_CRASH ? "crash" : "restart", color });
        break;
      }
      case EV_PAUSE:
      case EV_RESUME: {
        const [key, style] = stroke(COLORS.pause, 2, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px, y - laneH * 0.32);
        p.lineTo(px, y + laneH * 0.32);
        if (k === EV_PAUSE) {
          // Two bars, the pause symbol, just inside the band.
          p.moveTo(px + 4, y - 5);
          p.lineTo(px + 4, y + 5);
          p.moveTo(px + 8, y - 5);
          p.lineTo(px + 8, y + 5);
        }
        if (wantLabels) labels.push({ x: px + 4, y: y - laneH * 0.32 + 2, text: k === EV_PAUSE ? "pause" : "resume", color: COLORS.pause });
        break;
      }
      case EV_ABANDON: {
        const [key, style] = stroke(COLORS.fail, 2, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px, y - 5);
        p.lineTo(px + 5, y);
        p.lineTo(px, y + 5);
        p.lineTo(px - 5, y);
        p.closePath();
        if (wantLabels) labels.push({ x: px, y: y + 16, text: "abandoned", color: COLORS.fail });
        break;
      }
      case EV_TIMER: {
        const [key, style] = stroke(COLORS.timeout, 1.4, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px + 4, y);
        p.arc(px, y, 4, 0, Math.PI * 2);
        p.moveTo(px, y);
        p.lineTo(px, y - 3);
        p.moveTo(px, y);
        p.lineTo(px + 2.5, y);
        break;
      }
      case EV_LOG: {
        const [key, style] = stroke(COLORS.lane, 1.2, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px, y + 4);
        p.lineTo(px, y + 9);
        break;
      }
      case EV_NOTE: {
        const [key, style] = fill(COLORS.note, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px, y - 5);
        p.lineTo(px + 4, y);
        p.lineTo(px, y + 5);
        p.lineTo(px - 4, y);
        p.closePath();
        if (wantLabels) {
          const label = noteLabel(model.trace, d.ref[i]!);
          if (label) labels.push({ x: px, y: y - 14, text: label, color: COLORS.note });
        }
        break;
      }
      case EV_INVOKE: {
        const [key, style] = stroke(COLORS.issue, 1.5, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px + 3.5, y);
        p.arc(px, y, 3.5, 0, Math.PI * 2);
        break;
      }
      case EV_COMPLETE: {
        const outcome = d.aux[i];
        const color = outcome === OUTCOME_OK ? COLORS.accept : outcome === OUTCOME_FAIL ? COLORS.fail : COLORS.timeout;
        const [key, style] = stroke(color, 2.2, dim);
        const p = glyphs.path(key, style);
        if (outcome === OUTCOME_OK) {
          p.moveTo(px - 4, y - 1);
          p.lineTo(px - 1, y + 3);
          p.lineTo(px + 5, y - 5);
        } else {
          p.moveTo(px - 4, y - 4);
          p.lineTo(px + 4, y + 4);
          p.moveTo(px + 4, y - 4);
          p.lineTo(px - 4, y + 4);
          if (wantLabels) labels.push({ x: px, y: y + 16, text: outcome === OUTCOME_FAIL ? "failed" : "no answer", color });
        }
        break;
      }
      case EV_START: {
        const [key, style] = stroke(COLORS.restart, 2, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px, y - 6);
        p.lineTo(px, y + 6);
        break;
      }
      case EV_NODE_ERROR: {
        const [key, style] = stroke(COLORS.fail, 3, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px - 6, y - 6);
        p.lineTo(px + 6, y + 6);
        p.moveTo(px + 6, y - 6);
        p.lineTo(px - 6, y + 6);
        if (wantLabels) labels.push({ x: px, y: y + 18, text: "error", color: COLORS.fail });
        break;
      }
      case EV_WITHHOLD: {
        const [key, style] = stroke(COLORS.byzantine, 2, dim);
        const p = glyphs.path(key, style);
        p.moveTo(px + 5, y);
        p.arc(px, y, 5, 0, Math.PI * 2);
        p.moveTo(px - 3.5, y + 3.5);
        p.lineTo(px + 3.5, y - 3.5);
        if (wantLabels) labels.push({ x: px, y: y + 16, text: "silent", color: COLORS.byzantine });
        break;
      }
    }
  }
  if (band) drawBand(ctx, band, firstNode, lastNode, frame, focusActive);
  glyphs.flush(ctx);
  const badgesDrawn = lens && lens.badges.length > 0 ? drawBadges(ctx, model, view, frame, lens.badges, nodeVisible) : 0;

  if (stopX >= 0) {
    ctx.strokeStyle = COLORS.stop;
    ctx.setLineDash([2, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(stopX, top);
    ctx.lineTo(stopX, height);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  // 6. Labels, skipping any that would overlap one already drawn.
  if (labels.length > 0) {
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    const placed: { x0: number; x1: number; y0: number; y1: number }[] = [];
    for (const l of labels) {
      if (placed.length >= LABELS_MAX) break;
      const w = ctx.measureText(l.text).width;
      const tx = l.left ? l.x : l.x - w / 2;
      const box = { x0: tx - 3, x1: tx + w + 3, y0: l.y - 7, y1: l.y + 7 };
      if (placed.some((p) => p.x0 < box.x1 && box.x0 < p.x1 && p.y0 < box.y1 && box.y0 < p.y1)) continue;
      placed.push(box);
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      ctx.fillRect(box.x0 + 1, box.y0, box.x1 - box.x0 - 2, 14);
      ctx.fillStyle = l.color;
      ctx.fillText(l.text, tx, l.y);
    }
    ctx.textBaseline = "alphabetic";
  }

  ctx.restore();

  // 8. The axis and the node names on top of everything that was clipped.
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, top);
  ctx.fillRect(0, top, left - 6, height - top);
  ctx.strokeStyle = COLORS.grid;
  ctx.beginPath();
  ctx.moveTo(0, top - 0.5);
  ctx.lineTo(width, top - 0.5);
  ctx.stroke();
  ctx.fillStyle = COLORS.axis;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  const scale = Math.max(Math.abs(view.t0), Math.abs(view.t1));
  for (const t of ticks) {
    const tx = x(t);
    if (tx < left - 1 || tx > plotRight + 1) continue;
    const text = formatTick(t, step, scale);
    const w = ctx.measureText(text).width;
    ctx.fillText(text, Math.min(width - w - 2, Math.max(left, tx - w / 2)), top / 2);
  }
  ctx.font = "600 12px system-ui, sans-serif";
  ctx.fillStyle = COLORS.label;
  for (let n = firstNode; n <= lastNode; n++) {
    const y = laneY(frame, n);
    if (y < top || y > height) continue;
    const name = nodes[n]!;
    ctx.fillText(name.length > 7 ? `${name.slice(0, 6)}…` : name, 8, y);
  }
  ctx.textBaseline = "alphabetic";
  if (opts.overlays !== false) drawOverlays(ctx, model, view, frame, opts, dpr);
  return { events: i1 - visFrom, arrows: arrowCount, dense, bundles: bundler?.bundles.length ?? 0, badges: badgesDrawn };
}

/**
 * Whether a view is dense: more events to draw than the plot has pixels for (times a factor).
 * A dense view ignores the causal-past dimming, so it can be drawn once and reused while the
 * selection or hover moves (only the overlays change).
 */
export function isDenseView(model: DiagramModel, view: View, frame: Frame, lens: DiagramLens | null | undefined): boolean {
  const [from, to] = eventRange(model, view.t0, view.t1);
  const limit = plotWidth(frame) * DENSE_EVENTS_PER_PX;
  if (to - from <= limit) return false;
  const vis = lens?.vis;
  if (!vis) return true;
  let shown = 0;
  for (let i = from; i < to && shown <= limit; i++) if (vis[i] !== VIS_HIDDEN) shown++;
  return shown > limit;
}

/** Witness rings, the hovered and the selected event: drawn on top of the diagram, clipped to the plot. */
export function drawOverlays(ctx: CanvasRenderingContext2D, model: DiagramModel, view: View, frame: Frame, opts: DrawOptions, dpr: number): void {
  const d = model.trace.data;
  const { width, height, left, top, laneH } = frame;
  const firstNode = Math.max(0, Math.floor((frame.scrollY - laneH) / laneH));
  const lastNode = Math.min(model.nodeCount - 1, Math.ceil((frame.scrollY + height - top) / laneH));
  const nodeVisible = (n: number) => n >= firstNode && n <= lastNode;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left - 6, top, width - left + 6, height - top);
  ctx.clip();
  // 7. Highlights: witnesses, the divergence, hover and the selection.
  const ring = (i: number, color: string, r: number, w: number) => {
    if (i < 0 || i >= d.length) return;
    const t = d.time[i]!;
    if (t < view.t0 || t > view.t1) return;
    const n = d.node[i]!;
    if (n !== NO_NODE && !nodeVisible(n)) return;
    const p = eventPoint(model, view, frame, i);
    ctx.strokeStyle = color;
    ctx.lineWidth = w;
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.stroke();
  };
  for (const h of opts.highlights) {
    for (let k = 0; k < h.indices.length; k++) ring(h.indices[k]!, HIGHLIGHT_COLORS[h.tone], 10, 2.5);
  }
  if (opts.hover >= 0 && opts.hover !== opts.selected) ring(opts.hover, COLORS.hover, 8, 1.5);
  if (opts.selected >= 0 && opts.selected < d.length) {
    const t = d.time[opts.selected]!;
    if (t >= view.t0 && t <= view.t1) {
      const sx = eventPoint(model, view, frame, opts.selected).x;
      ctx.strokeStyle = COLORS.selection;
      ctx.globalAlpha = 0.5;
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(sx, top);
      ctx.lineTo(sx, height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    }
    ring(opts.selected, COLORS.selection, 7, 3);
  }
  ctx.restore();
}


/** Kinds drawn as the density band in a dense view: the ordinary traffic of a healthy run. */
const ROUTINE = (() => {
  const r = new Uint8Array(32);
  for (const k of [EV_ISSUE, EV_SEND, EV_RESPOND, EV_DELIVER, EV_ENQUEUE, EV_PROCESS, EV_EXECUTE, EV_DEDUPE_HIT, EV_ACCEPT, EV_IGNORE, EV_TIMER, EV_LOG, EV_INVOKE]) r[k] = 1;
  return r;
})();

/** Levels of the density band: how busy a node was in each couple of pixels, in four shades. */
const BAND_SHADES = ["rgba(47, 95, 179, 0.18)", "rgba(47, 95, 179, 0.35)", "rgba(47, 95, 179, 0.55)", "rgba(47, 95, 179, 0.8)"];

function drawBand(ctx: CanvasRenderingContext2D, band: LaneDensity, firstNode: number, lastNode: number, frame: Frame, dim: boolean): void {
  const paths = BAND_SHADES.map(() => new Path2D());
  const h = Math.min(12, frame.laneH * 0.3);
  const cells = band.cells;
  for (let n = firstNode; n <= lastNode; n++) {
    const y = laneY(frame, n);
    for (let c = 0; c < cells; c++) {
      const level = densityLevel(band.counts[n * cells + c]!, band.max, BAND_SHADES.length);
      if (level >= 0) paths[level]!.rect(c * BAND_CELL_PX, y - h / 2, BAND_CELL_PX, h);
    }
  }
  ctx.globalAlpha = dim ? DIM_ALPHA : 1;
  paths.forEach((p, k) => {
    ctx.fillStyle = BAND_SHADES[k]!;
    ctx.fill(p);
  });
  ctx.globalAlpha = 1;
}

const BUNDLE_REQUEST = 0;
const BUNDLE_RESPONSE = 1;
const BUNDLE_RETRY = 2;
const BUNDLE_LOST = 3;
const BUNDLE_COLORS = [COLORS.request, COLORS.response, COLORS.retry, COLORS.drop];
/** Bundles are stroked in a few width steps, one path each, so a frame costs a handful of strokes. */
const BUNDLE_WIDTH_STEPS = [1, 2, 3, 4.5, 6];

/** Arrow bundles: one line per bundle, thicker and darker the more arrows it stands for. */
function drawBundles(ctx: CanvasRenderingContext2D, bundler: ArrowBundler, frame: Frame, dim: boolean): void {
  const paths = new Map<number, Path2D>();
  for (const b of bundler.bundles) {
    const w = bundleWidth(b.count);
    let step = 0;
    while (step < BUNDLE_WIDTH_STEPS.length - 1 && BUNDLE_WIDTH_STEPS[step]! < w) step++;
    const key = b.cls * 16 + step;
    let p = paths.get(key);
    if (!p) paths.set(key, (p = new Path2D()));
    const y0 = laneY(frame, b.from);
    const y1 = b.cls === BUNDLE_LOST ? y0 + (laneY(frame, b.to) - y0) * 0.45 : laneY(frame, b.to);
    p.moveTo(b.x0, y0);
    p.lineTo(b.x1, y1);
  }
  for (const [key, p] of paths) {
    const cls = Math.floor(key / 16);
    const step = key % 16;
    ctx.strokeStyle = BUNDLE_COLORS[cls]!;
    ctx.lineWidth = BUNDLE_WIDTH_STEPS[step]!;
    ctx.globalAlpha = (dim ? DIM_ALPHA : 1) * (0.35 + 0.13 * step);
    ctx.stroke(p);
  }
  ctx.globalAlpha = 1;
}

/** "×N" beside the send of each collapsed retried request. */
function drawBadges(
  ctx: CanvasRenderingContext2D, model: DiagramModel, view: View, frame: Frame,
  badges: { index: number; attempts: number }[], nodeVisible: (n: number) => boolean,
): number {
  const d = model.trace.data;
  const from = lowerBoundBadges(badges, eventRange(model, view.t0, view.t1)[0]);
  ctx.font = "600 10px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  let drawn = 0;
  let lastX = -1e9;
  for (let k = from; k < badges.length && drawn < LABELS_MAX; k++) {
    const b = badges[k]!;
    const t = d.time[b.index]!;
    if (t > view.t1) break;
    const n = d.node[b.index]!;
    if (n === NO_NODE || !nodeVisible(n)) continue;
    const p = eventPoint(model, view, frame, b.index);
    if (p.x - lastX < 22) continue;
    lastX = p.x;
    const text = `×${b.attempts}`;
    const w = ctx.measureText(text).width + 6;
    ctx.fillStyle = COLORS.retry;
    ctx.fillRect(p.x + 4, p.y - 16, w, 12);
    ctx.fillStyle = "#ffffff";
    ctx.fillText(text, p.x + 7, p.y - 10);
    drawn++;
  }
  ctx.textBaseline = "alphabetic";
  return drawn;
}

function lowerBoundBadges(badges: { index: number }[], index: number): number {
  let lo = 0;
  let hi = badges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (badges[mid]!.index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
