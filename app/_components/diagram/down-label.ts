// Where a down interval's "down" label goes: between the "crash" label drawn at the interval's
// start and the "restart" label at its end (both centred 4 px right of their event, with 3 px
// padding), so the three never overlap; no label when the interval is too narrow for it.

/** Gap between the down label and a neighbouring label, in pixels. */
const LABEL_GAP_PX = 6;

export interface LabelWidths {
  crash: number;
  down: number;
  restart: number;
}

/** The x where "down" starts (left-aligned), or null when it does not fit. */
export function downLabelX(xa: number, xb: number, w: LabelWidths): number | null {
  const crashRight = xa + 4 + w.crash / 2 + 3;
  const restartLeft = xb + 4 - w.restart / 2 - 3;
  const x = crashRight + LABEL_GAP_PX;
  return x + w.down + LABEL_GAP_PX <= restartLeft ? x : null;
}
