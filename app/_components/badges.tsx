// Small labels for a run's state and verdict and an item's visibility.
export function StatusBadge({ status, verdict }: { status: string; verdict?: string | null }) {
  if (status === "done" && verdict) {
    return <span className={`badge ${verdict}`} data-testid="verdict-badge">{verdict === "pass" ? "✓ all checks hold" : "✗ a check failed"}</span>;
  }
  const label = { queued: "queued", running: "running", done: "done", failed: "failed", cancelled: "cancelled" }[status] ?? status;
  return <span className={`badge ${status}`} data-testid="status-badge">{label}</span>;
}

export function VisibilityBadge({ visibility }: { visibility: string }) {
  return <span className={`badge ${visibility}`}>{visibility}</span>;
}
