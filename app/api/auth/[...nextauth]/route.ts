// next-auth's sign-in, sign-out and session endpoints, behind the body limit and origin check.
// A sign-in a limit refused answers 429 with Retry-After (next-auth itself would answer 401).
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/server/auth/options";
import { signInRequest, type SignInRequest } from "@/server/auth/sign-in";
import { clientAddressOf } from "@/server/http/client-address";
import { guardedRoute } from "@/server/http/route";

type Ctx = { params: Promise<{ nextauth: string[] }> };
const nextAuth = NextAuth(authOptions) as (req: NextRequest, ctx: Ctx) => Promise<Response>;

async function handle(req: NextRequest, ctx: Ctx): Promise<Response> {
  const request: SignInRequest = { address: clientAddressOf(req.headers), refused: null };
  const res = await signInRequest.run(request, () => nextAuth(req, ctx));
  if (!request.refused) return res;
  const headers = new Headers(res.headers);
  headers.set("retry-after", String(request.refused.retryAfterSeconds));
  headers.delete("location");
  // The browser's signIn() reads { url } with the message as its `error` parameter; keep that body.
  if (res.headers.get("content-type")?.includes("application/json")) return new Response(await res.text(), { status: 429, headers });
  headers.set("content-type", "text/plain; charset=utf-8");
  return new Response(`${request.refused.message}\n`, { status: 429, headers });
}

export const GET = guardedRoute(handle);
export const POST = guardedRoute(handle);
