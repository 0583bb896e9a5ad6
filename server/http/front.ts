// The web process's front: a small Node HTTP server that hands every request to Next.js after
// doing what only the connection knows. It decides the client's address (the peer, or what
// TRUST_PROXY trusted proxies say) and whether the request came over https (HSTS), and it
// refuses a request body larger than its address takes before reading any of it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import next from "next";
import { env } from "@/server/env";
import { CLIENT_ADDRESS_HEADER, markWebFront, resolveClientAddress } from "./client-address";
import { bodyBytesMaxFor, REQUEST_HEADERS_MS_MAX, REQUEST_RECEIVE_MS_MAX } from "./limits";
import { formatBytes } from "./guard";
import { HSTS_VALUE } from "./security-headers.mjs";

/** Headers about the client that only a trusted proxy may set; dropped when TRUST_PROXY is 0. */
const FORWARDING_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"];

/** After refusing a body, how long the connection stays open so the answer arrives before it closes. */
const REFUSED_BODY_LINGER_MS = 2_000;

export interface FrontOptions {
  port: number;
  hostname?: string;
  dir: string;
  dev?: boolean;
}

export async function startWebFront(opts: FrontOptions): Promise<Server> {
  markWebFront();
  const app = next({ dev: opts.dev ?? false, dir: opts.dir, hostname: opts.hostname ?? "localhost", port: opts.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((req, res) => {
    if (admit(req, res, env.TRUST_PROXY)) void handle(req, res);
  });
  server.requestTimeout = REQUEST_RECEIVE_MS_MAX;
  server.headersTimeout = REQUEST_HEADERS_MS_MAX;
  await new Promise<void>((resolve) => server.listen(opts.port, opts.hostname, resolve));
  return server;
}

/**
 * Prepares a request for Next.js, or answers it here. True when Next.js should handle it.
 * Exported for tests, which run it against a plain Node server.
 */
export function admit(req: IncomingMessage, res: ServerResponse, trustProxy: number): boolean {
  const https = requestIsHttps(req, trustProxy);
  req.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustProxy);
  if (trustProxy === 0) for (const h of FORWARDING_HEADERS) delete req.headers[h];
  if (https) res.setHeader("strict-transport-security", HSTS_VALUE);
  // A body nobody reads is not drained either: the connection closes instead.
  const socket = req.socket;
  res.on("finish", () => {
    if (!req.complete) closeUnread(req, socket);
  });

  const pathname = (req.url ?? "/").split("?", 1)[0]!;
  const bytesMax = bodyBytesMaxFor(pathname);
  const declared = req.headers["content-length"];
  const tooLarge = declared !== undefined ? Number(declared) > bytesMax : req.headers["transfer-encoding"] !== undefined && bytesMax === 0;
  if (tooLarge) {
    const message = bytesMax === 0 ? "This address takes no request body." : `The request body is larger than this address takes (${formatBytes(bytesMax)}).`;
    res.writeHead(413, { "content-type": "text/plain; charset=utf-8", connection: "close" });
    res.end(`${message}\n`);
    return false;
  }
  return true;
}

function requestIsHttps(req: IncomingMessage, trustProxy: number): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (trustProxy === 0) return false;
  const raw = req.headers["x-forwarded-proto"];
  const protos = (Array.isArray(raw) ? raw.join(",") : (raw ?? "")).split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  // Like X-Forwarded-For: the entry the outermost trusted proxy wrote.
  return protos[Math.max(0, protos.length - trustProxy)] === "https";
}

/** Stops reading a request whose answer is sent: half-close, then drop the connection shortly after. */
function closeUnread(req: IncomingMessage, socket: Socket): void {
  req.pause();
  socket.end();
  setTimeout(() => socket.destroy(), REFUSED_BODY_LINGER_MS).unref();
}
