// Embedding a shared run: the player's address, the iframe snippet the share panel offers and
// the oEmbed answer (https://oembed.com) that slide tools and LMS pages ask for. Pure.

/** The player's default size: the diagram, its step controls and the story fit without scrolling much. */
export const EMBED_WIDTH_PX = 720;
export const EMBED_HEIGHT_PX = 640;
/** The smallest player an oEmbed consumer may ask for with maxwidth / maxheight. */
export const EMBED_MIN_WIDTH_PX = 280;
export const EMBED_MIN_HEIGHT_PX = 320;
/** How long an oEmbed consumer may cache an answer: a finished run does not change. */
export const OEMBED_CACHE_AGE_SECONDS = 3600;

/** The player's path for a run; an unlisted run's key travels with it, exactly as in its share link. */
export function embedPath(runId: string, token: string | null | undefined): string {
  return `/embed/runs/${encodeURIComponent(runId)}${token ? `?key=${encodeURIComponent(token)}` : ""}`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The iframe to paste into a page. */
export function embedIframeHtml(origin: string, runId: string, token: string | null | undefined, title: string, width = EMBED_WIDTH_PX, height = EMBED_HEIGHT_PX): string {
  return `<iframe src="${escapeAttr(origin + embedPath(runId, token))}" width="${width}" height="${height}" title="${escapeAttr(`${title} · Faultline`)}" style="border:1px solid #dfe3ea;border-radius:8px;max-width:100%" loading="lazy" allowfullscreen></iframe>`;
}

/** The player's size within a consumer's maxwidth / maxheight (ignored when not whole numbers), never below the minimum. */
export function embedSize(maxWidth: string | null, maxHeight: string | null): { width: number; height: number } {
  const limit = (raw: string | null, def: number, min: number) => {
    if (!raw || !/^\d{1,5}$/.test(raw)) return def;
    return Math.max(min, Math.min(def, Number(raw)));
  };
  return { width: limit(maxWidth, EMBED_WIDTH_PX, EMBED_MIN_WIDTH_PX), height: limit(maxHeight, EMBED_HEIGHT_PX, EMBED_MIN_HEIGHT_PX) };
}

export interface OEmbedRich {
  version: "1.0";
  type: "rich";
  provider_name: "Faultline";
  provider_url: string;
  title: string;
  author_name: string;
  html: string;
  width: number;
  height: number;
  cache_age: number;
}

export function oembedRich(args: { origin: string; runId: string; token: string | null; title: string; author: string; width: number; height: number }): OEmbedRich {
  return {
    version: "1.0",
    type: "rich",
    provider_name: "Faultline",
    provider_url: `${args.origin}/`,
    title: args.title,
    author_name: args.author,
    html: embedIframeHtml(args.origin, args.runId, args.token, args.title, args.width, args.height),
    width: args.width,
    height: args.height,
    cache_age: OEMBED_CACHE_AGE_SECONDS,
  };
}

/** The run (and its key) a URL of this site points at: a run page or a player. Null for anything else. */
export function runOfUrl(url: string): { id: string; token: string | null } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  const m = /^\/(?:embed\/)?runs\/([A-Za-z0-9_-]{1,64})\/?$/.exec(u.pathname);
  if (!m) return null;
  const key = u.searchParams.get("key");
  return { id: m[1]!, token: key && key.length <= 64 ? key : null };
}

/** The title of a run wherever it is shown or embedded. */
export function runTitle(run: { scenario: { name: string }; kind: string; seed: number; seedCount: number }): string {
  return `${run.scenario.name}, ${run.kind === "sweep" ? `sweep of ${run.seedCount} seeds` : `seed ${run.seed}`}`;
}
