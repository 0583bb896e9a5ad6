// The tRPC endpoint's request handling, apart from Next.js so tests drive exactly what the
// route runs (app/api/trpc/[trpc]/route.ts only supplies the real context).
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import type { Context } from "@/server/api/trpc";

export const TRPC_ENDPOINT = "/api/trpc";

export function handleTrpcRequest(req: Request, createContext: () => Context | Promise<Context>): Promise<Response> {
  return fetchRequestHandler({ endpoint: TRPC_ENDPOINT, req, router: appRouter, createContext });
}
