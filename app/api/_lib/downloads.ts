// Shared by the download routes: find what the caller may read (through the same tRPC
// procedures pages use, so the same access rules), and send a scenario document as a file.
import { TRPCError } from "@trpc/server";
import { serverCaller } from "@/server/api/server-caller";
import { slug } from "@/app/_components/format";

/** A plain-text 404, the same for missing, private and revoked. */
export function notFoundResponse(what: string): Response {
  return new Response(`${what} not found\n`, { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** Null when the caller cannot see it; other errors are bugs and propagate (a 500, logged). */
async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof TRPCError && ["NOT_FOUND", "BAD_REQUEST", "UNAUTHORIZED"].includes(err.code)) return null;
    throw err;
  }
}

function keyOf(req: Request): string | undefined {
  return new URL(req.url).searchParams.get("key")?.slice(0, 64) || undefined;
}

export async function readableRun(req: Request, id: string) {
  const { api } = await serverCaller();
  return orNull(api.run.byId({ id: id.slice(0, 64), token: keyOf(req) }));
}

export async function readableScenario(req: Request, id: string, version?: number) {
  const { api } = await serverCaller();
  return orNull(api.scenario.byId({ id: id.slice(0, 64), token: keyOf(req), version }));
}

/** A scenario version's document exactly as saved, as a .yaml or .json file. */
export function documentResponse(source: string, name: string, version: number): Response {
  const isJson = source.trimStart().startsWith("{");
  return new Response(source, {
    headers: {
      "content-type": isJson ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="${slug(name)}-v${version}.${isJson ? "json" : "yaml"}"`,
    },
  });
}
