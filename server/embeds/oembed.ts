// oEmbed (https://oembed.com) for shared runs: GET /api/oembed?url=<run page or player>&format=json
// answers a "rich" embed whose html is the player's iframe. Only what anyone may read is embeddable:
// a public run, or an unlisted one whose URL carries its key. Private, revoked or unknown: 404.
import { TRPCError } from "@trpc/server";
import type { Db } from "@/server/db";
import { readableRun } from "@/server/api/routers/run";
import { publicOrigin } from "@/server/http/public-origin";
import { embedSize, OEMBED_CACHE_AGE_SECONDS, oembedRich, runOfUrl, runTitle } from "@/app/_components/story/embed";

/** A URL longer than this is not one of ours. */
const OEMBED_URL_CHARS_MAX = 2048;

const plain = { "content-type": "text/plain; charset=utf-8" };

/** The oEmbed answer to a GET of `requestUrl` (its query holds url, format, maxwidth, maxheight). */
export async function oembedAnswer(db: Db, requestUrl: string, headers: Headers): Promise<Response> {
  const params = new URL(requestUrl).searchParams;
  const format = params.get("format") ?? "json";
  if (format !== "json") return new Response("Only format=json is offered.\n", { status: 501, headers: plain });
  const url = params.get("url");
  if (!url) return new Response("url: the address of a shared run is required.\n", { status: 400, headers: plain });
  const target = url.length <= OEMBED_URL_CHARS_MAX ? runOfUrl(url) : null;
  if (!target) return new Response("Run not found\n", { status: 404, headers: plain });
  let run;
  try {
    // As nobody in particular: an embed shows what a stranger holding the link may see, even when its owner asks.
    run = (await readableRun(db, target.id, null, target.token ?? undefined)).run;
  } catch (err) {
    if (err instanceof TRPCError && err.code === "NOT_FOUND") return new Response("Run not found\n", { status: 404, headers: plain });
    throw err;
  }
  if (run.kind === "grade") return new Response("Run not found\n", { status: 404, headers: plain });
  const { width, height } = embedSize(params.get("maxwidth"), params.get("maxheight"));
  const body = oembedRich({
    origin: publicOrigin(headers, requestUrl),
    runId: run.id,
    token: run.visibility === "unlisted" ? target.token : null,
    title: runTitle(run),
    author: run.owner.name,
    width,
    height,
  });
  return Response.json(body, { headers: { "cache-control": `${run.visibility === "public" ? "public" : "private"}, max-age=${OEMBED_CACHE_AGE_SECONDS}` } });
}
