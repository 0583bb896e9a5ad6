// Server components call the API through this caller, so a page applies exactly the
// access checks a browser request would. A TRPCError NOT_FOUND becomes Next's 404.
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { createCaller } from "./root";
import { createContext } from "./trpc";

export async function serverCaller() {
  const ctx = await createContext({ headers: await headers() });
  return { api: createCaller(ctx), user: ctx.user };
}

/** Runs a query for a page; "not found" and "unauthorized" show the 404 page. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST" || err.code === "UNAUTHORIZED")) notFound();
    throw err;
  }
}
