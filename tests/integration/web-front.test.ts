// The web front over real sockets: client addresses are not taken from what clients claim,
// bodies are refused at their limit without being read, state-changing requests from other sites
// are refused, HSTS only for https, and a health check stays fast while one client sends a huge
// body and deeply nested documents. The server here is the front's own admit() in front of the
// tRPC handler, as in production, with Next.js left out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { Readable } from "node:stream";
import type { AddressInfo } from "node:net";
import { createTestDb, type TestDb } from "../helpers/db";
import { admit } from "@/server/http/front";
import { addressKey, CLIENT_ADDRESS_HEADER, resolveClientAddress } from "@/server/http/client-address";
import { handleTrpcRequest } from "@/server/http/trpc-handler";
import { TRPC_BODY_BYTES_MAX } from "@/server/http/limits";
import { SCENARIO_NESTING_DEPTH_MAX } from "@/server/scenarios/validate";

describe("client addresses", () => {
  it("believe X-Forwarded-For only as far as TRUST_PROXY proxies go", () => {
    expect(resolveClientAddress("10.0.0.5", "6.6.6.6", 0)).toBe("10.0.0.5");
    expect(resolveClientAddress("10.0.0.5", "6.6.6.6, 198.51.100.4", 1)).toBe("198.51.100.4");
    expect(resolveClientAddress("10.0.0.5", ["6.6.6.6", "198.51.100.4, 10.0.0.9"], 2)).toBe("198.51.100.4");
    expect(resolveClientAddress("10.0.0.5", "not-an-address", 1)).toBe("10.0.0.5");
    expect(resolveClientAddress("::ffff:192.0.2.1", undefined, 0)).toBe("192.0.2.1");
    expect(resolveClientAddress("10.0.0.5", "[2001:db8::1]:4711", 1)).toBe("2001:db8::1");
  });

  it("count an IPv6 client by its /64", () => {
    expect(addressKey("2001:db8:aa:bb:1:2:3:4")).toBe("2001:0db8:00aa:00bb::/64");
    expect(addressKey("2001:db8:aa:bb::9")).toBe("2001:0db8:00aa:00bb::/64");
    expect(addressKey("192.0.2.1")).toBe("192.0.2.1");
  });
});

describe("the web front", () => {
  let t: TestDb;
  let server: Server;
  let base: string;
  let trustProxy = 0;
  /** What the server read of each request, by path, once its connection closed. */
  const bytesRead = new Map<string, number>();

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", base);
    if (url.pathname === "/echo") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ address: req.headers[CLIENT_ADDRESS_HEADER], forwardedFor: req.headers["x-forwarded-for"] ?? null }));
      return;
    }
    if (url.pathname === "/api/health") {
      await t.db.run.count();
      res.end("ok");
      return;
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const fetchReq = new Request(url, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]])),
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
    } as RequestInit);
    const out = await handleTrpcRequest(fetchReq, () => ({ db: t.db, dbProvider: t.provider, user: null, ip: String(req.headers[CLIENT_ADDRESS_HEADER]) }));
    res.writeHead(out.status, Object.fromEntries(out.headers));
    res.end(Buffer.from(await out.arrayBuffer()));
  }

  beforeAll(async () => {
    t = await createTestDb("sqlite");
    server = createServer((req, res) => {
      if (admit(req, res, trustProxy)) serve(req, res).catch((err: unknown) => res.destroy(err as Error));
    });
    server.prependListener("request", (req: IncomingMessage) => {
      const socket = req.socket;
      const path = (req.url ?? "/").split("?")[0]!;
      socket.once("close", () => bytesRead.set(path, socket.bytesRead));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.drop();
  });

  it("takes the client address from the connection, not from X-Forwarded-For, unless a proxy is trusted", async () => {
    trustProxy = 0;
    const direct = (await (await fetch(`${base}/echo`, { headers: { "x-forwarded-for": "6.6.6.6" } })).json()) as { address: string; forwardedFor: string | null };
    expect(direct).toEqual({ address: "127.0.0.1", forwardedFor: null });
    trustProxy = 1;
    const proxied = (await (await fetch(`${base}/echo`, { headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.4" } })).json()) as { address: string };
    expect(proxied.address).toBe("198.51.100.4");
    trustProxy = 0;
  });

  it("sends HSTS only for requests that came over https", async () => {
    trustProxy = 0;
    expect((await fetch(`${base}/echo`, { headers: { "x-forwarded-proto": "https" } })).headers.get("strict-transport-security")).toBeNull();
    trustProxy = 1;
    expect((await fetch(`${base}/echo`, { headers: { "x-forwarded-proto": "https" } })).headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
    expect((await fetch(`${base}/echo`, { headers: { "x-forwarded-proto": "http" } })).headers.get("strict-transport-security")).toBeNull();
    trustProxy = 0;
  });

  it("answers 413 to a declared 400 MiB body at once, having read none of it", async () => {
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    const answer = new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.on("close", () => resolve(text));
    });
    socket.write(`POST /api/trpc/scenario.validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${400 * 1024 * 1024}\r\n\r\n`);
    socket.write(Buffer.alloc(64 * 1024, 0x20));
    // The answer comes, and the server closes the connection, while the client has sent 64 KiB of 400 MiB.
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toMatch(/larger than this address takes \(1 MiB\)/);
    expect(bytesRead.get("/api/trpc/scenario.validate")).toBeLessThan(128 * 1024);
  });

  it("stops reading a streamed body at the limit, and a health check stays fast meanwhile", async () => {
    const healthMs: number[] = [];
    let uploading = true;
    const health = (async () => {
      while (uploading) {
        const started = performance.now();
        expect((await fetch(`${base}/api/health`)).status).toBe(200);
        healthMs.push(performance.now() - started);
      }
    })();
    // A body with no declared length, sent as fast as the server takes it, up to 400 MiB.
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/api/trpc/scenario.validate`, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      const pump = () => {
        while (sent < 400 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    uploading = false;
    await health;
    expect(status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(healthMs.length).toBeGreaterThan(0);
    // Health checks were answered while it ran (how fast depends on the machine's load: printed, not asserted).
    expect(healthMs.length).toBeGreaterThan(0);
    console.log(`health checks meanwhile: max ${Math.max(...healthMs).toFixed(0)} ms over ${healthMs.length}`);
  });

  it("answers deeply nested documents and JSON at once, without parsing them, while health checks stay fast", async () => {
    const deepYaml = "a: " + "[".repeat(120_000) + "]".repeat(120_000);
    const deepJson = `{"source":"x","junk":${"[".repeat(400_000)}${"]".repeat(400_000)}}`;
    const healthMs: number[] = [];
    let busy = true;
    const health = (async () => {
      while (busy) {
        const started = performance.now();
        await fetch(`${base}/api/health`);
        healthMs.push(performance.now() - started);
      }
    })();
    const post = (body: string) => fetch(`${base}/api/trpc/scenario.validate`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => post(JSON.stringify({ source: deepYaml }))),
      post(deepJson),
    ]);
    busy = false;
    await health;
    const validated = (await answers[0]!.json()) as { result: { data: { ok: boolean; problems: { message: string; line: number }[] } } };
    expect(validated.result.data.ok).toBe(false);
    expect(validated.result.data.problems[0]!.message).toBe(`the document nests deeper than ${SCENARIO_NESTING_DEPTH_MAX} levels`);
    expect(answers[4]!.status).toBe(400);
    expect(((await answers[4]!.json()) as { error: { message: string } }).error.message).toMatch(/nests deeper/);
    // Health checks were answered while it ran (how fast depends on the machine's load: printed, not asserted).
    expect(healthMs.length).toBeGreaterThan(0);
    console.log(`health checks meanwhile: max ${Math.max(...healthMs).toFixed(0)} ms over ${healthMs.length}`);
  });

  it("refuses a state-changing request from another site with 403, and takes it from this site or from a program", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/api/trpc/scenario.validate`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ source: "name: x" }) });
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ origin: "null" })).status).toBe(403);
    expect((await post({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post({ origin: base })).status).toBe(200);
    expect((await post({ "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await post({})).status).toBe(200);
    // Reading is not a state change: a query from anywhere is answered.
    expect((await fetch(`${base}/api/trpc/scenario.templates`, { headers: { origin: "https://evil.example" } })).status).toBe(200);
    expect(TRPC_BODY_BYTES_MAX).toBe(1024 * 1024);
  });
});
