// node:crypto's SHA-256 for trace digests in Node: the same digest as the simulator's own
// pure TypeScript SHA-256 (which the browser uses), several times faster.
import { createHash } from "node:crypto";

export function nodeSha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** node:crypto's SHA-256 as a stream, for digests hashed while the trace is encoded. */
export function nodeSha256Stream(): { update(bytes: Uint8Array): unknown; hex(): string } {
  const h = createHash("sha256");
  return { update: (bytes) => h.update(bytes), hex: () => h.digest("hex") };
}
