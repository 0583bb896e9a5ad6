"use client";
// The share panel's "Embed" field: the iframe of the run's player, to paste into slides or an LMS
// page (the player is also announced by oEmbed, so many tools only need the link).
import { useState } from "react";
import { embedIframeHtml } from "./embed";

export function EmbedSnippet({ origin, runId, token, title }: { origin: string; runId: string; token: string | null; title: string }) {
  const [copied, setCopied] = useState(false);
  const html = embedIframeHtml(origin, runId, token, title);
  return (
    <div className="field" style={{ marginTop: "0.5rem" }} data-testid="embed-snippet">
      <label htmlFor={`embed-${runId}`}>Embed</label>
      <textarea id={`embed-${runId}`} readOnly rows={3} value={html} className="mono small" onFocus={(e) => e.target.select()} />
      <div className="row">
        <button
          type="button"
          className="small"
          onClick={async () => {
            await navigator.clipboard?.writeText(html).catch(() => undefined);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? "Copied" : "Copy embed code"}
        </button>
        <span className="muted small">A player with the diagram, step controls and the story; slide tools that speak oEmbed take the link alone.</span>
      </div>
    </div>
  );
}
