// Broadcast topologies: who each node is told its neighbours are. grid (at most four neighbours in
// a near-square grid), line, trees with branching 2 to 4, and total (everyone).

import type { Topology } from "../scenario/types";

export function topologyOf(kind: Topology, nodes: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of nodes) out[n] = [];
  const link = (a: number, b: number) => {
    out[nodes[a]!]!.push(nodes[b]!);
  };
  const n = nodes.length;
  switch (kind) {
    case "total":
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b) link(a, b);
      break;
    case "line":
      for (let a = 0; a < n; a++) {
        if (a > 0) link(a, a - 1);
        if (a < n - 1) link(a, a + 1);
      }
      break;
    case "grid": {
      const side = Math.ceil(Math.sqrt(n));
      for (let a = 0; a < n; a++) {
        const row = Math.floor(a / side);
        const col = a % side;
        for (const [r, c] of [[row + 1, col], [row - 1, col], [row, col + 1], [row, col - 1]] as const) {
          const b = r * side + c;
          if (r >= 0 && c >= 0 && c < side && b < n) link(a, b);
        }
      }
      break;
    }
    default: {
      // A tree in breadth-first order: node a's children are a*k+1 .. a*k+k.
      const k = kind === "tree2" ? 2 : kind === "tree3" ? 3 : 4;
      for (let a = 1; a < n; a++) {
        const parent = Math.floor((a - 1) / k);
        link(a, parent);
        link(parent, a);
      }
    }
  }
  return out;
}
