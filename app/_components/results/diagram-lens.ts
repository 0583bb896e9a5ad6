// What the diagram shows of each event once the reader has narrowed it: the event log's filter
// (others hidden), collapsed retries (other attempts hidden) and a focused request (the rest
// dimmed), combined into one per-event level the drawing reads.

import type { Focus } from "./focus";
import type { RetryCollapse } from "./retry-collapse";

export const VIS_HIDDEN = 0;
export const VIS_DIM = 1;
export const VIS_FULL = 2;

export interface DiagramLens {
  /** Per event: VIS_HIDDEN, VIS_DIM or VIS_FULL. */
  vis: Uint8Array;
  /** A request is focused: its events are drawn one by one even in a dense view, the rest dimmed. */
  focusActive: boolean;
  /** "×N" badges of collapsed retries that are not hidden. */
  badges: { index: number; attempts: number }[];
  /** Events not hidden. */
  shown: number;
}

export interface LensInput {
  length: number;
  /** Indices passing the event log's filter (ascending), or null for no filter. */
  matching: ArrayLike<number> | null;
  collapse: RetryCollapse | null;
  focus: Focus | null;
}

/** The combined lens, or null when nothing narrows the diagram (the drawing's fast path). */
export function buildLens({ length, matching, collapse, focus }: LensInput): DiagramLens | null {
  if (!matching && !collapse && !focus) return null;
  const vis = new Uint8Array(length);
  if (matching) {
    for (let k = 0; k < matching.length; k++) {
      const i = matching[k]!;
      if (i >= 0 && i < length) vis[i] = VIS_FULL;
    }
  } else {
    vis.fill(VIS_FULL);
  }
  if (collapse) {
    const h = collapse.hidden;
    for (let i = 0; i < length; i++) if (h[i] === 1) vis[i] = VIS_HIDDEN;
  }
  if (focus) {
    const m = focus.mask;
    for (let i = 0; i < length; i++) if (vis[i] === VIS_FULL && m[i] !== 1) vis[i] = VIS_DIM;
  }
  let shown = 0;
  for (let i = 0; i < length; i++) if (vis[i] !== VIS_HIDDEN) shown++;
  const badges = collapse ? collapse.badges.filter((b) => vis[b.index] !== VIS_HIDDEN) : [];
  return { vis, focusActive: focus !== null, badges, shown };
}
