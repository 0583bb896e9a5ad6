// next-auth's sign-in, sign-out and session endpoints, behind the body limit and origin check.
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/server/auth/options";
import { guardedRoute } from "@/server/http/route";

type Ctx = { params: Promise<{ nextauth: string[] }> };
const handler = NextAuth(authOptions) as (req: NextRequest, ctx: Ctx) => Promise<Response>;

export const GET = guardedRoute(handler);
export const POST = guardedRoute(handler);
