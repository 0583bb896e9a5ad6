// Density for views too busy to draw one mark per event: how many events each node had in each
// few-pixel column (a heat band along its lane), and arrows bundled by lanes and pixel columns,
// so a zoomed-out long run draws hundreds of primitives instead of tens of thousands.

/** Counts per (lane, column): `cells` columns a lane, row-major by lane. */
export interface LaneDensity {
  lanes: number;
  cells: number;
  counts: Uint32Array;
  max: number;
}

export function emptyDensity(lanes: number, widthPx: number, cellPx: number): LaneDensity {
  const cells = Math.max(1, Math.ceil(widthPx / cellPx));
  return { lanes, cells, counts: new Uint32Array(lanes * cells), max: 0 };
}

/** Adds one event at x (CSS px) on `lane`; events outside the columns are not counted. */
export function addToDensity(dens: LaneDensity, lane: number, x: number, cellPx: number): void {
  const c = Math.floor(x / cellPx);
  if (c < 0 || c >= dens.cells || lane < 0 || lane >= dens.lanes) return;
  const k = lane * dens.cells + c;
  const v = dens.counts[k]! + 1;
  dens.counts[k] = v;
  if (v > dens.max) dens.max = v;
}

/** A cell's shade level 0..levels-1 on a square-root scale (a quarter of the busiest cell is half as dark), or -1 for empty. */
export function densityLevel(count: number, max: number, levels: number): number {
  if (count <= 0 || max <= 0) return -1;
  return Math.min(levels - 1, Math.floor(Math.sqrt(count / max) * levels));
}

/** Arrows that leave one lane for another within one column of pixels, drawn as one stroke. */
export interface ArrowBundle {
  from: number;
  to: number;
  /** A colour class the caller chose (request, response, retry, lost...). */
  cls: number;
  /** Mean start and end x of the arrows in it, CSS px. */
  x0: number;
  x1: number;
  count: number;
}

const BUCKETS_MAX = 4096;

/**
 * Collects arrows into bundles by (from lane, to lane, class, start column, end column). When there
 * are more bundles than a view can read, `coarsen` merges them into columns twice as wide.
 */
export class ArrowBundler {
  private index = new Map<number, number>();
  bundles: ArrowBundle[] = [];
  constructor(private bucketPx: number) {}

  get columnPx(): number {
    return this.bucketPx;
  }

  add(from: number, to: number, cls: number, x0: number, x1: number, count = 1): void {
    const b0 = Math.max(0, Math.min(BUCKETS_MAX - 1, Math.floor(x0 / this.bucketPx) + 1));
    const b1 = Math.max(0, Math.min(BUCKETS_MAX - 1, Math.floor(x1 / this.bucketPx) + 1));
    // from, to < 1024 and cls < 8: the key stays well inside 2^53.
    const key = (((from * 1024 + to) * 8 + cls) * BUCKETS_MAX + b0) * BUCKETS_MAX + b1;
    const at = this.index.get(key);
    if (at === undefined) {
      this.index.set(key, this.bundles.length);
      this.bundles.push({ from, to, cls, x0, x1, count });
      return;
    }
    const b = this.bundles[at]!;
    b.count += count;
    // Weighted running means keep the bundle where its arrows are.
    b.x0 += ((x0 - b.x0) * count) / b.count;
    b.x1 += ((x1 - b.x1) * count) / b.count;
  }

  /** Merges bundles into columns twice as wide until at most `max` remain (or columns span `widthPx`). */
  coarsen(max: number, widthPx: number): void {
    while (this.bundles.length > max && this.bucketPx < widthPx) {
      const old = this.bundles;
      this.bundles = [];
      this.index = new Map();
      this.bucketPx *= 2;
      for (const b of old) this.add(b.from, b.to, b.cls, b.x0, b.x1, b.count);
    }
  }
}

/** Stroke width of a bundle of `count` arrows: 1 px for one, growing with the logarithm, at most 6 px. */
export function bundleWidth(count: number): number {
  return Math.min(6, 1 + Math.log2(Math.max(1, count)));
}
