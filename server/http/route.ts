// Wraps an App Router route handler in the checks of server/http/guard.ts, with the body limit
// of its address (server/http/limits.ts): the handler sees a request whose body is already read
// within the limit (or none), from this site when it changes state.
import { NextRequest } from "next/server";
import { guardRequest } from "./guard";
import { bodyBytesMaxFor } from "./limits";

export function guardedRoute<C>(handler: (req: NextRequest, ctx: C) => Promise<Response> | Response) {
  return async (req: NextRequest, ctx: C): Promise<Response> => {
    const guarded = await guardRequest(req, { bodyBytesMax: bodyBytesMaxFor(new URL(req.url).pathname) });
    if (!guarded.ok) return guarded.response;
    const inner = guarded.body ? new NextRequest(req.url, { method: req.method, headers: req.headers, body: guarded.body }) : req;
    return handler(inner, ctx);
  };
}
