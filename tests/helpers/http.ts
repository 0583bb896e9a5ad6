// Calls the tRPC endpoint over HTTP semantics (status codes, headers, the JSON a browser gets)
// through the same handler the route runs, with a chosen user and client address.
import { handleTrpcRequest } from "@/server/http/trpc-handler";
import type { SessionUser } from "@/server/auth/options";
import type { TestDb } from "./db";

export interface TrpcErrorBody {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    fieldErrors: Record<string, string[]> | null;
    scenarioProblems: { path: string; message: string; line?: number }[] | null;
    retryAfterSeconds: number | null;
  };
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface CallOptions {
  user?: SessionUser | null;
  ip?: string;
  headers?: Record<string, string>;
}

export function trpcFetch(t: TestDb, req: Request, opts: CallOptions = {}): Promise<Response> {
  return handleTrpcRequest(req, () => ({ db: t.db, dbProvider: t.provider, user: opts.user ?? null, ip: opts.ip ?? "test" }));
}

/** One mutation as the browser's client sends it (POST, JSON body). */
export async function mutate(t: TestDb, path: string, input: unknown, opts: CallOptions = {}): Promise<HttpResult> {
  const req = new Request(`http://localhost/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...opts.headers },
    body: JSON.stringify(input),
  });
  const res = await trpcFetch(t, req, opts);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** One query (GET, input in the URL). */
export async function query(t: TestDb, path: string, input: unknown, opts: CallOptions = {}): Promise<HttpResult> {
  const req = new Request(`http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: opts.headers });
  const res = await trpcFetch(t, req, opts);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export function errorOf(result: HttpResult): TrpcErrorBody {
  return (result.body as { error: TrpcErrorBody }).error;
}
