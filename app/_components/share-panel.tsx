"use client";
// Sharing for a scenario or a run: private, unlisted (anyone with the link, which holds
// a secret token) or public; copy the link; revoke it (a new token, old links die).
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "./trpc";
import { apiError } from "./field-errors";
import { EmbedSnippet } from "./story/embed-snippet";

type Kind = "scenario" | "run";

/** `locked`: why it cannot be shared (course work; docs/courses.md), shown instead of the controls. */
export function SharePanel({ kind, id, visibility, shareToken, locked = null, title }: { kind: Kind; id: string; visibility: string; shareToken: string | null; locked?: string | null; title?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [current, setCurrent] = useState(visibility);
  const [token, setToken] = useState(shareToken);
  const [origin, setOrigin] = useState("");
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setOrigin(window.location.origin), []);

  const setVis = useMutation(kind === "run" ? trpc.run.setVisibility.mutationOptions() : trpc.scenario.setVisibility.mutationOptions());
  const revoke = useMutation(kind === "run" ? trpc.run.revokeLink.mutationOptions() : trpc.scenario.revokeLink.mutationOptions());

  const path = kind === "run" ? `/runs/${id}` : `/scenarios/${id}`;
  const link = current === "unlisted" && token ? `${origin}${path}?key=${token}` : `${origin}${path}`;

  if (locked) {
    return (
      <div className="panel" data-testid="share-panel">
        <h3>Sharing</h3>
        <div role="radiogroup" aria-label="Visibility" aria-disabled="true">
          {(["private", "unlisted", "public"] as const).map((v) => (
            <label key={v} style={{ fontWeight: 400 }}>
              <input type="radio" name={`visibility-${id}`} value={v} checked={v === "private"} disabled readOnly /> <strong>{v}</strong>
            </label>
          ))}
        </div>
        <p className="alert warn small" data-testid="share-locked">{locked}</p>
      </div>
    );
  }

  return (
    <div className="panel" data-testid="share-panel">
      <h3>Sharing</h3>
      <div role="radiogroup" aria-label="Visibility">
        {(["private", "unlisted", "public"] as const).map((v) => (
          <label key={v} style={{ fontWeight: 400 }}>
            <input
              type="radio"
              name={`visibility-${id}`}
              value={v}
              checked={current === v}
              disabled={setVis.isPending}
              onChange={async () => {
                // Shown at once; put back if the server refuses.
                const before = current;
                setError(null);
                setCurrent(v);
                try {
                  // Becoming unlisted brings a new link (server/api/access.ts): show that one.
                  const res = await setVis.mutateAsync({ id, visibility: v });
                  setToken(res.shareToken);
                  router.refresh();
                } catch (err) {
                  setCurrent(before);
                  setError(apiError(err).message);
                }
              }}
            />{" "}
            <strong>{v}</strong>{" "}
            <span className="muted small">
              {v === "private" ? "only you" : v === "unlisted" ? "anyone with the link" : `anyone; listed in the gallery${kind === "run" ? "" : ""}`}
            </span>
          </label>
        ))}
      </div>
      {current !== "private" ? (
        <>
          <div className="field" style={{ marginTop: "0.5rem" }}>
            <label htmlFor={`share-link-${id}`}>Link</label>
            <input id={`share-link-${id}`} type="text" readOnly value={link} data-testid="share-link" onFocus={(e) => e.target.select()} />
          </div>
          <div className="row">
            <button
              type="button"
              className="small"
              onClick={async () => {
                await navigator.clipboard?.writeText(link).catch(() => undefined);
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              }}
            >
              {copied ? "Copied" : "Copy link"}
            </button>
            {current === "unlisted" ? (
              <button
                type="button"
                className="small danger"
                disabled={revoke.isPending}
                onClick={async () => {
                  setError(null);
                  try {
                    const res = await revoke.mutateAsync({ id });
                    setToken(res.shareToken);
                  } catch (err) {
                    setError(apiError(err).message);
                  }
                }}
              >
                Revoke link
              </button>
            ) : null}
          </div>
          {current === "unlisted" ? <p className="muted small">Revoking makes a new link; everyone holding the old one loses access.</p> : null}
          {kind === "run" && origin ? <EmbedSnippet origin={origin} runId={id} token={current === "unlisted" ? token : null} title={title ?? "A run"} /> : null}
        </>
      ) : null}
      <p className="muted small" data-testid="share-status" aria-live="polite">
        {setVis.isPending || revoke.isPending ? "Saving…" : setVis.isSuccess || revoke.isSuccess ? "Saved." : ""}
      </p>
      {error ? <div className="alert error">{error}</div> : null}
    </div>
  );
}
