"use client";
// The space-time (Lamport) diagram of one run on a canvas: zoom and pan (wheel, drag, buttons),
// hover for an event's clocks, click to select; the focused event's causal past stays lit.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { DiagramModel } from "@/app/_components/results/diagram-model";
import type { DiagramLens } from "@/app/_components/results/diagram-lens";
import {
  centerView, clampScroll, eventRange, fitView, hitTest, inView, makeFrame, panView, viewAround, xToTime, zoomView,
  type Frame, type View,
} from "@/app/_components/results/viewport";
import { describeEvent } from "@/app/_components/results/describe";
import { formatTick, formatUs } from "@/app/_components/results/time";
import { measure } from "@/app/_components/results/trace-load";
import { drawDiagram, drawOverlays, isDenseView, type DrawStats } from "./draw";
import type { HighlightTone } from "./styles";

/** A long run opened at one step shows about this many events on either side of it. */
const REVEAL_NEIGHBOURS = 30;
/** A reveal zooms in when the view holds more events than this; otherwise it only recentres. */
const REVEAL_ZOOM_EVENTS = 600;
/** Each wheel notch (100 px of deltaY) zooms by this factor. */
const WHEEL_ZOOM_PER_100PX = 1.35;
/** A press that moves less than this is a click, not a drag. */
const CLICK_SLOP_PX = 4;

export interface DiagramHighlight {
  indices: readonly number[];
  tone: HighlightTone;
}

export interface SpaceTimeDiagramProps {
  model: DiagramModel;
  /** The selected event, or -1. */
  selected: number;
  onSelect?: (index: number) => void;
  highlights?: DiagramHighlight[];
  /** Changes when the caller wants the selected event brought into view and zoomed to (a witness, a permalink). */
  revealKey?: number | string;
  /** Names this instance in performance measures (the compare page has two). */
  name?: string;
  label?: string;
  /** The reader's filter, collapsed retries and focused request (diagram-lens-controls.tsx). */
  lens?: DiagramLens | null;
}

type DrawReason = "first" | "zoom" | "pan" | "select" | "hover" | "resize" | "highlight";

export function SpaceTimeDiagram({ model, selected, onSelect, highlights, revealKey, name = "run", label, lens = null }: SpaceTimeDiagramProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  // A long run opened at a step (a permalink) starts zoomed in around it; otherwise the whole run shows.
  const [initialView] = useState(() =>
    selected >= 0 && model.length > REVEAL_ZOOM_EVENTS / 2 ? viewAround(model, selected, REVEAL_NEIGHBOURS) : fitView(model),
  );
  const viewRef = useRef<View>(initialView);
  const scrollRef = useRef(0);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const [caption, setCaption] = useState("");
  const frameRef = useRef<Frame | null>(null);
  const pending = useRef<{ raf: number; reason: DrawReason } | null>(null);
  const drawn = useRef(false);
  // A dense view's picture without the selection and hover, kept while only those change.
  const base = useRef<{ key: string; lens: DiagramLens | null; model: DiagramModel; canvas: HTMLCanvasElement; stats: DrawStats } | null>(null);

  const trace = model.trace;
  const focus = hover?.index ?? selected;
  // The focused event's causal past as a mask (O(events before it), computed once per focus).
  const past = useMemo(() => {
    if (focus < 0 || focus >= model.length) return null;
    const list = trace.causalPast(focus);
    const mask = new Uint8Array(focus + 1);
    for (let k = 0; k < list.length; k++) mask[list[k]!] = 1;
    return { mask, count: list.length };
  }, [trace, focus, model.length]);

  const state = useRef({ selected, hover: -1, past: past?.mask ?? null, highlights: highlights ?? [], lens });
  state.current = { selected, hover: hover?.index ?? -1, past: past?.mask ?? null, highlights: highlights ?? [], lens };

  const draw = useCallback(
    (reason: DrawReason) => {
      const canvas = canvasRef.current;
      if (!canvas || width <= 0) return;
      const frame = makeFrame(width, model.nodeCount, scrollRef.current);
      scrollRef.current = frame.scrollY;
      frameRef.current = frame;
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      const w = Math.round(frame.width * dpr);
      const h = Math.round(frame.height * dpr);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
        canvas.style.height = `${frame.height}px`;
      }
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      const t0 = performance.now();
      const s = state.current;
      const v0 = viewRef.current;
      const opts = { selected: s.selected, hover: s.hover, past: s.past, highlights: s.highlights, lens: s.lens };
      let stats: DrawStats;
      if (isDenseView(model, v0, frame, s.lens)) {
        // Dense: the diagram without overlays is drawn once per view; a step or a hover only
        // copies it and draws the rings (the causal-past dimming is not shown at this density).
        const key = `${v0.t0}|${v0.t1}|${w}|${h}|${frame.scrollY}|${dpr}`;
        let b = base.current;
        if (!b || b.key !== key || b.lens !== s.lens || b.model !== model) {
          const c = b?.canvas ?? document.createElement("canvas");
          c.width = w;
          c.height = h;
          const bctx = c.getContext("2d");
          if (!bctx) return;
          const st = drawDiagram(bctx, model, v0, frame, { ...opts, past: null, overlays: false }, dpr);
          b = base.current = { key, lens: s.lens, model, canvas: c, stats: st };
        }
        stats = b.stats;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.drawImage(b.canvas, 0, 0);
        drawOverlays(ctx, model, v0, frame, opts, dpr);
      } else {
        stats = drawDiagram(ctx, model, v0, frame, opts, dpr);
      }
      const t1 = performance.now();
      const first = !drawn.current;
      drawn.current = true;
      const detail = { reason: first ? "first" : reason, instance: name, events: stats.events, arrows: stats.arrows, dense: stats.dense, total: model.length };
      measure("diagram:draw", t0, t1, detail);
      // The canvas rasterizes its commands when the frame is painted: the next frame's start
      // bounds what the draw really cost on screen.
      requestAnimationFrame(() => measure("diagram:frame", t0, performance.now(), detail));
      const v = viewRef.current;
      const step = (v.t1 - v.t0) / 1000;
      const shown = s.lens && s.lens.shown < model.length ? ` · ${s.lens.shown.toLocaleString("en-US")} drawn` : "";
      const badges = stats.badges > 0 ? ` · ${stats.badges} retried ${stats.badges === 1 ? "request" : "requests"} drawn once (×N)` : "";
      const density = stats.dense || stats.bundles > 0 ? " · busy stretches drawn as density" : "";
      setCaption(`${formatTick(Math.max(0, v.t0), step, v.t1)} – ${formatTick(v.t1, step, v.t1)} · ${stats.events.toLocaleString("en-US")} of ${model.length.toLocaleString("en-US")} events in view${shown}${badges}${density}`);
    },
    [model, width, name],
  );

  const requestDraw = useCallback(
    (reason: DrawReason) => {
      if (pending.current) return;
      const raf = requestAnimationFrame(() => {
        const r = pending.current?.reason ?? reason;
        pending.current = null;
        draw(r);
      });
      pending.current = { raf, reason };
    },
    [draw],
  );

  useEffect(() => {
    const p = pending;
    return () => {
      if (p.current) cancelAnimationFrame(p.current.raf);
    };
  }, []);

  // Width follows the container; it is read at once on mount, so the first draw does not wait
  // for the observer's first report a frame later.
  useLayoutEffect(() => {
    const w = Math.floor(wrapRef.current?.clientWidth ?? 0);
    if (w > 0) setWidth(w);
  }, []);
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A new trace (the compare page switching runs) starts from the whole run.
  const modelRef = useRef(model);
  useEffect(() => {
    if (modelRef.current !== model) {
      modelRef.current = model;
      viewRef.current = fitView(model);
      drawn.current = false;
    }
  }, [model]);

  useEffect(() => {
    // Draw synchronously on size changes so the first frame shows the diagram, not a blank canvas.
    draw(drawn.current ? "resize" : "first");
  }, [draw]);

  // A selection outside the view pans to it; a reveal also zooms in if the view is crowded.
  const lastReveal = useRef(revealKey);
  useEffect(() => {
    if (selected < 0 || selected >= model.length) {
      requestDraw("select");
      return;
    }
    const frame = frameRef.current ?? makeFrame(Math.max(width, 300), model.nodeCount, scrollRef.current);
    const t = trace.data.time[selected]!;
    const reveal = lastReveal.current !== revealKey;
    lastReveal.current = revealKey;
    let v = viewRef.current;
    if (reveal) {
      const [a, b] = eventRange(model, v.t0, v.t1);
      v = b - a > REVEAL_ZOOM_EVENTS ? viewAround(model, selected, REVEAL_NEIGHBOURS) : centerView(v, t, model);
    } else if (!inView(v, frame, t)) {
      v = centerView(v, t, model);
    }
    viewRef.current = v;
    // Many nodes: scroll the selected node's lane into view too.
    const node = trace.nodeIndex(selected);
    if (node >= 0) {
      const top = frame.top + frame.laneH * node - scrollRef.current;
      if (top < frame.top || top + frame.laneH > frame.height) scrollRef.current = clampScroll(frame, model.nodeCount, frame.laneH * node - (frame.height - frame.top) / 2);
    }
    requestDraw("select");
  }, [selected, revealKey, model, trace, width, requestDraw]);

  useEffect(() => {
    requestDraw("highlight");
  }, [highlights, past, lens, requestDraw]);

  // Wheel: zoom around the pointer; sideways (or with Shift) pans. Registered by hand because
  // React's wheel listener is passive and could not stop the page from scrolling.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      const frame = frameRef.current;
      if (!frame) return;
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const x = e.clientX - rect.left;
      const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1;
      const dx = (e.shiftKey ? e.deltaY : e.deltaX) * unit;
      const dy = e.shiftKey ? 0 : e.deltaY * unit;
      if (Math.abs(dx) > Math.abs(dy)) {
        viewRef.current = panView(viewRef.current, frame, -dx, model);
        requestDraw("pan");
      } else if (dy !== 0) {
        const factor = WHEEL_ZOOM_PER_100PX ** (-dy / 100);
        viewRef.current = zoomView(viewRef.current, factor, xToTime(viewRef.current, frame, x), model);
        requestDraw("zoom");
      }
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  }, [model, requestDraw]);

  const drag = useRef<{ x: number; y: number; view: View; scroll: number; moved: boolean; id: number } | null>(null);

  const pointer = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    const p = pointer(e);
    drag.current = { ...p, view: viewRef.current, scroll: scrollRef.current, moved: false, id: e.pointerId };
    e.currentTarget.setPointerCapture(e.pointerId);
  };

  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const frame = frameRef.current;
    if (!frame) return;
    const p = pointer(e);
    const g = drag.current;
    if (g) {
      const dx = p.x - g.x;
      const dy = p.y - g.y;
      if (!g.moved && Math.hypot(dx, dy) < CLICK_SLOP_PX) return;
      g.moved = true;
      viewRef.current = panView(g.view, frame, dx, model);
      scrollRef.current = clampScroll(frame, model.nodeCount, g.scroll - dy);
      if (hover) setHover(null);
      requestDraw("pan");
      return;
    }
    const i = hitTest(model, viewRef.current, frame, p.x, p.y, 9);
    if (i !== (hover?.index ?? -1)) setHover(i >= 0 ? { index: i, x: p.x, y: p.y } : null);
  };

  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const g = drag.current;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(g?.id ?? -1)) e.currentTarget.releasePointerCapture(g!.id);
    if (!g || g.moved) return;
    const frame = frameRef.current;
    if (!frame) return;
    const p = pointer(e);
    const i = hitTest(model, viewRef.current, frame, p.x, p.y, 12);
    if (i >= 0) onSelect?.(i);
  };

  const zoomBy = (factor: number) => {
    const frame = frameRef.current;
    if (!frame) return;
    const v = viewRef.current;
    const selT = selected >= 0 && selected < model.length ? trace.data.time[selected]! : NaN;
    const anchor = Number.isFinite(selT) && inView(v, frame, selT, 0) ? selT : (v.t0 + v.t1) / 2;
    viewRef.current = zoomView(v, factor, anchor, model);
    requestDraw("zoom");
  };

  const panBy = (fraction: number) => {
    const frame = frameRef.current;
    if (!frame) return;
    viewRef.current = panView(viewRef.current, frame, -fraction * (frame.width - frame.left - frame.right), model);
    requestDraw("pan");
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === "+" || e.key === "=") zoomBy(2);
    else if (e.key === "-" || e.key === "_") zoomBy(0.5);
    else if (e.key === "0") {
      viewRef.current = fitView(model);
      requestDraw("zoom");
    } else return;
    e.preventDefault();
  };

  const hovered = hover && hover.index < model.length ? trace.event(hover.index) : null;
  const hoveredVc = hovered ? trace.vectorClock(hovered.index) : null;

  return (
    <div className="diagram" data-testid={`diagram-${name}`}>
      <div className="diagram-toolbar row">
        <button type="button" className="small" onClick={() => zoomBy(2)} aria-label="Zoom in" title="Zoom in (+, or the mouse wheel)">+</button>
        <button type="button" className="small" onClick={() => zoomBy(0.5)} aria-label="Zoom out" title="Zoom out (−)">−</button>
        <button type="button" className="small" onClick={() => { viewRef.current = fitView(model); requestDraw("zoom"); }} title="Show the whole run (0)">Fit</button>
        <button type="button" className="small" onClick={() => panBy(-0.5)} aria-label="Earlier" title="Earlier (or drag)">◀</button>
        <button type="button" className="small" onClick={() => panBy(0.5)} aria-label="Later" title="Later (or drag)">▶</button>
        <span className="spacer" />
        <span className="muted small" data-testid={`diagram-${name}-caption`}>{caption}</span>
      </div>
      <div className="diagram-canvas" ref={wrapRef}>
        <canvas
          ref={canvasRef}
          role="img"
          tabIndex={0}
          aria-label={label ?? `Space-time diagram: ${model.nodeCount} nodes, ${model.length} events. Drag to pan, wheel to zoom, click an event to select it.`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => { if (!drag.current) setHover(null); }}
          onKeyDown={onKeyDown}
          style={{ width: "100%", display: "block", cursor: hover ? "pointer" : "grab" }}
        />
        {hovered && hover ? (
          <div className="diagram-tip" role="tooltip" style={{ left: Math.min(hover.x + 14, Math.max(0, width - 300)), top: hover.y + 14 }}>
            <div><strong>#{hovered.index} {hovered.kind}</strong> on {hovered.node ?? "–"} at {formatUs(hovered.timeUs)}</div>
            <div>{describeEvent(hovered)}</div>
            <div className="mono small">Lamport {hovered.lamport} · vector [{hoveredVc?.map((c, n) => `${trace.nodes[n]}:${c}`).join(", ")}]</div>
            <div className="muted small">{past ? `${past.count - 1} events happened before it (lit)` : ""}</div>
          </div>
        ) : null}
      </div>
    </div>
  );
}
