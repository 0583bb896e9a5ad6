// GET /api/oembed?url=…&format=json: the oEmbed answer for a shared run (server/embeds/oembed.ts).
import { db } from "@/server/db";
import { guardedRoute } from "@/server/http/route";
import { oembedAnswer } from "@/server/embeds/oembed";

export const dynamic = "force-dynamic";

export const GET = guardedRoute((req) => oembedAnswer(db, req.url, req.headers));
