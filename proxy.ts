// Runs before every page: a fresh nonce for the page's Content-Security-Policy. Next.js reads
// the nonce from the request's policy header and puts it on the scripts it writes, and the
// browser runs no other script. API routes, static files and requests with a body do not come
// here (a body would be buffered for the proxy; the web front refuses bodies to pages anyway).
import { NextResponse, type NextRequest } from "next/server";
import { pageContentSecurityPolicy } from "@/server/http/security-headers.mjs";
import { env } from "@/server/env";

export function proxy(req: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const policy = pageContentSecurityPolicy(nonce, { dev: env.NODE_ENV === "development", https: req.nextUrl.protocol === "https:" });
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", policy);
  headers.set("x-nonce", nonce);
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
