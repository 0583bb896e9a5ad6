// The event queue: a binary min-heap ordered by (time, sequence number) over parallel typed arrays, plus a
// FIFO lane for events scheduled in time order. Equal times pop in scheduling order (rule 7); nothing is allocated per event.

/**
 * Each scheduled event occupies a slot holding its payload (kind and three integers);
 * the heap orders slot numbers by (time, seq). Slots are recycled through a free list.
 */
export class EventQueue {
  // Heap arrays (position -> key, slot).
  private hTime: Float64Array;
  private hSeq: Float64Array;
  private hSlot: Int32Array;
  size = 0;
  private seq = 0;
  // Slot payloads.
  kind: Uint8Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  private freeNext: Int32Array;
  private freeHead = -1;
  private slotCount = 0;
  // FIFO lane (a ring buffer): events pushed with non-decreasing times, such as timeouts that all
  // have the same length, need no heap work. Both lanes together keep the (time, seq) order.
  private fTime = new Float64Array(64);
  private fSeq = new Float64Array(64);
  private fSlot = new Int32Array(64);
  private fHead = 0;
  private fCount = 0;
  private fLast = -Infinity;
  private topFromFifo = false;
  /** Time of the event top() returned. */
  topTime = 0;

  constructor(capacity = 1024) {
    this.hTime = new Float64Array(capacity);
    this.hSeq = new Float64Array(capacity);
    this.hSlot = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.c = new Int32Array(capacity);
    this.freeNext = new Int32Array(capacity);
  }

  private growHeap(): void {
    const n = this.hTime.length * 2;
    const t = new Float64Array(n);
    t.set(this.hTime);
    this.hTime = t;
    const q = new Float64Array(n);
    q.set(this.hSeq);
    this.hSeq = q;
    const s = new Int32Array(n);
    s.set(this.hSlot);
    this.hSlot = s;
  }

  private growSlots(): void {
    const n = this.kind.length * 2;
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    const a = new Int32Array(n);
    a.set(this.a);
    this.a = a;
    const b = new Int32Array(n);
    b.set(this.b);
    this.b = b;
    const c = new Int32Array(n);
    c.set(this.c);
    this.c = c;
    const f = new Int32Array(n);
    f.set(this.freeNext);
    this.freeNext = f;
  }

  private allocSlot(kind: number, a: number, b: number, c: number): number {
    let slot = this.freeHead;
    if (slot >= 0) this.freeHead = this.freeNext[slot]!;
    else {
      if (this.slotCount === this.kind.length) this.growSlots();
      slot = this.slotCount++;
    }
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
    this.c[slot] = c;
    return slot;
  }

  /** Events still queued, in both lanes. */
  get count(): number {
    return this.size + this.fCount;
  }

  /**
   * Schedules an event expected to be no earlier than the previous one scheduled this way; it goes
   * to the FIFO lane (no heap work), or to the heap when it would break the lane's order.
   */
  pushInOrder(time: number, kind: number, a: number, b: number, c: number): number {
    if (time < this.fLast) return this.push(time, kind, a, b, c);
    const slot = this.allocSlot(kind, a, b, c);
    if (this.fCount === this.fTime.length) this.growFifo();
    const i = (this.fHead + this.fCount) & (this.fTime.length - 1);
    this.fTime[i] = time;
    this.fSeq[i] = this.seq++;
    this.fSlot[i] = slot;
    this.fCount++;
    this.fLast = time;
    return slot;
  }

  private growFifo(): void {
    const n = this.fTime.length;
    const t = new Float64Array(n * 2);
    const q = new Float64Array(n * 2);
    const s = new Int32Array(n * 2);
    for (let k = 0; k < this.fCount; k++) {
      const i = (this.fHead + k) & (n - 1);
      t[k] = this.fTime[i]!;
      q[k] = this.fSeq[i]!;
      s[k] = this.fSlot[i]!;
    }
    this.fTime = t;
    this.fSeq = q;
    this.fSlot = s;
    this.fHead = 0;
  }

  /** The slot of the earliest event (time in topTime); count must be > 0. popTop() removes it. */
  top(): number {
    if (this.fCount > 0) {
      const h = this.fHead;
      const ft = this.fTime[h]!;
      if (this.size === 0) {
        this.topFromFifo = true;
        this.topTime = ft;
        return this.fSlot[h]!;
      }
      const ht = this.hTime[0]!;
      if (ft < ht || (ft === ht && this.fSeq[h]! < this.hSeq[0]!)) {
        this.topFromFifo = true;
        this.topTime = ft;
        return this.fSlot[h]!;
      }
    }
    this.topFromFifo = false;
    this.topTime = this.hTime[0]!;
    return this.hSlot[0]!;
  }

  /** Removes the event top() returned and returns its slot; the caller frees the slot when done. */
  popTop(): number {
    if (this.topFromFifo) {
      const h = this.fHead;
      const slot = this.fSlot[h]!;
      this.fHead = (h + 1) & (this.fTime.length - 1);
      this.fCount--;
      return slot;
    }
    return this.pop();
  }

  /** Schedules an event; returns its slot. */
  push(time: number, kind: number, a: number, b: number, c: number): number {
    const slot = this.allocSlot(kind, a, b, c);
    if (this.size === this.hTime.length) this.growHeap();
    const seq = this.seq++;
    // Sift up.
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = hTime[p]!;
      if (pt < time || (pt === time && hSeq[p]! < seq)) break;
      hTime[i] = pt;
      hSeq[i] = hSeq[p]!;
      hSlot[i] = hSlot[p]!;
      i = p;
    }
    hTime[i] = time;
    hSeq[i] = seq;
    hSlot[i] = slot;
    return slot;
  }

  /** Removes the earliest event of the heap lane and returns its slot. */
  private pop(): number {
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    const top = hSlot[0]!;
    const n = --this.size;
    if (n > 0) {
      const t = hTime[n]!;
      const q = hSeq[n]!;
      const s = hSlot[n]!;
      let i = 0;
      const half = n >> 1;
      while (i < half) {
        let c = 2 * i + 1;
        let ct = hTime[c]!;
        let cq = hSeq[c]!;
        const r = c + 1;
        if (r < n) {
          const rt = hTime[r]!;
          if (rt < ct || (rt === ct && hSeq[r]! < cq)) {
            c = r;
            ct = rt;
            cq = hSeq[r]!;
          }
        }
        if (t < ct || (t === ct && q < cq)) break;
        hTime[i] = ct;
        hSeq[i] = cq;
        hSlot[i] = hSlot[c]!;
        i = c;
      }
      hTime[i] = t;
      hSeq[i] = q;
      hSlot[i] = s;
    }
    return top;
  }

  free(slot: number): void {
    this.freeNext[slot] = this.freeHead;
    this.freeHead = slot;
  }
}
