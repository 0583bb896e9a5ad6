// Runs before every page: a fresh nonce for the page's Content-Security-Policy. Next.js reads
// the nonce from the request's policy header and puts it on the scripts it writes, and the
// browser runs no other script. API routes, static files and requests with a body do not come
// here (a body would be buffered for the proxy; the web front refuses bodies to pages anyway).
import { NextResponse, type NextRequest } from "next/server";
import { EMBED_HEADER, EMBED_PATH_PREFIX, pageContentSecurityPolicy } from "@/server/http/security-headers.mjs";
import { env } from "@/server/env";

export function proxy(req: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  // The run player (app/embed) is the one page other sites may frame; the layout drops the site's frame for it.
  const embed = req.nextUrl.pathname.startsWith(EMBED_PATH_PREFIX);
  const policy = pageContentSecurityPolicy(nonce, { dev: env.NODE_ENV === "development", https: req.nextUrl.protocol === "https:", embed });
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", policy);
  headers.set("x-nonce", nonce);
  if (embed) headers.set(EMBED_HEADER, "1");
  else headers.delete(EMBED_HEADER);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", policy);
  return res;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
  ],
};
