// The network model: per-message latency, loss and duplication, with per-link overrides.
// Every send draws the same values from the sender's own stream, whatever the faults do, so faults never reshuffle them.

import * as Dist from "../engine/distribution";
import type { CompiledDist } from "../engine/distribution";
import type { RandomStreams } from "../engine/rng";
import type { Network as NetworkSpec } from "../scenario/types";

// Local copies: module bindings can compile to getters, too slow per message.
const sample = Dist.sample;
const compileDist = Dist.compileDist;

export class Network {
  private readonly latency: CompiledDist[];
  private readonly loss: Float64Array;
  private readonly dup: Float64Array;
  /** (from * nodes + to) -> profile index; null when there are no link overrides (profile 0 for all). */
  private readonly linkProfile: Int32Array | null;
  private readonly nodes: number;

  // Outputs of the last draw (fields, not an object, so a send allocates nothing).
  latencyUs = 0;
  lost = false;
  duplicated = false;
  latency2Us = 0;

  constructor(spec: NetworkSpec, nodeIndex: ReadonlyMap<string, number>) {
    this.nodes = nodeIndex.size;
    const base = compileDist(spec.latency);
    this.latency = [base];
    const loss = [spec.loss];
    const dup = [spec.duplicate];
    if (spec.links.length > 0) {
      this.linkProfile = new Int32Array(this.nodes * this.nodes);
      for (const l of spec.links) {
        const f = nodeIndex.get(l.from);
        const t = nodeIndex.get(l.to);
        if (f === undefined || t === undefined) continue;
        this.linkProfile[f * this.nodes + t] = this.latency.length;
        this.latency.push(l.latency ? compileDist(l.latency) : base);
        loss.push(l.loss ?? spec.loss);
        dup.push(l.duplicate ?? spec.duplicate);
      }
    } else this.linkProfile = null;
    this.loss = Float64Array.from(loss);
    this.dup = Float64Array.from(dup);
  }

  private profile(from: number, to: number): number {
    return this.linkProfile === null ? 0 : this.linkProfile[from * this.nodes + to]!;
  }

  /** The latency distribution of the link from -> to. */
  latencyOf(from: number, to: number): CompiledDist {
    return this.latency[this.profile(from, to)]!;
  }

  /**
   * Draws one message's fate from `stream`: latency, then loss (if the link loses anything),
   * then duplication (if it duplicates anything) and the copy's own latency.
   */
  draw(from: number, to: number, rng: RandomStreams, stream: number): void {
    const p = this.profile(from, to);
    const dist = this.latency[p]!;
    this.latencyUs = sample(dist, rng, stream);
    const loss = this.loss[p]!;
    this.lost = loss > 0 ? rng.float(stream) < loss : false;
    const dup = this.dup[p]!;
    if (dup > 0 && rng.float(stream) < dup) {
      this.duplicated = true;
      this.latency2Us = sample(dist, rng, stream);
    } else {
      this.duplicated = false;
      this.latency2Us = 0;
    }
  }
}
