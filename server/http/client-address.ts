// Which address a request came from, for rate limits. Headers a client sends are not believed:
// the web front (server/http/front.ts) takes the connection's peer address, or, behind
// TRUST_PROXY proxies, the address the outermost trusted proxy saw, and hands it to the app
// in a header of its own that it always overwrites.
import { isIP } from "node:net";
import { env } from "@/server/env";

/** The header the web front sets on every request; a client's own copy is replaced. */
export const CLIENT_ADDRESS_HEADER = "x-faultline-client-address";
/** Set by the web front in its process: without it the header above is not believed (plain `next start`). */
const FRONT_MARK = Symbol.for("faultline.web-front");

export function markWebFront(): void {
  (globalThis as Record<symbol, unknown>)[FRONT_MARK] = true;
}

function behindWebFront(): boolean {
  return (globalThis as Record<symbol, unknown>)[FRONT_MARK] === true;
}

/** What requests are counted under when their address is unknown (not served by the web front). */
export const UNKNOWN_ADDRESS = "unknown";

/**
 * The client's address: the connection's peer when `trustProxyHops` is 0; otherwise the entry of
 * X-Forwarded-For that the outermost trusted proxy appended (each proxy appends the address it
 * saw, so entries further left were written by the client and are not believed).
 */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustProxyHops: number): string {
  const direct = normalizeAddress(peer) ?? UNKNOWN_ADDRESS;
  if (trustProxyHops <= 0) return direct;
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...forwarded, direct];
  const index = Math.max(0, chain.length - 1 - trustProxyHops);
  return normalizeAddress(chain[index]) ?? direct;
}

/** An IP address in one spelling ("::ffff:10.0.0.1" is 10.0.0.1), or null when it is not one. */
export function normalizeAddress(value: string | undefined): string | null {
  if (!value) return null;
  let v = value.trim();
  // "[2001:db8::1]:443" and "10.0.0.1:443" as some proxies write them.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(v)) v = v.slice(7);
  return isIP(v) ? v.toLowerCase() : null;
}

/**
 * The key a limit counts an address under: the address itself for IPv4, its /64 network for IPv6
 * (one subscriber usually holds a whole /64, so counting single IPv6 addresses would not limit anyone).
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const full = expandIpv6(address);
  return full ? `${full.slice(0, 4).join(":")}::/64` : address;
}

function expandIpv6(address: string): string[] | null {
  const [head, tail] = address.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  if (right.some((p) => p.includes(".")) || left.some((p) => p.includes("."))) return null;
  const missing = 8 - left.length - right.length;
  if (tail === undefined && missing !== 0) return null;
  const parts = [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right];
  return parts.length === 8 ? parts.map((p) => p.padStart(4, "0")) : null;
}

let warnedUnknown = false;

/** The client address the web front determined for this request, or UNKNOWN_ADDRESS. */
export function clientAddressOf(headers: Headers): string {
  const stamped = headers.get(CLIENT_ADDRESS_HEADER);
  if (stamped && behindWebFront()) return stamped;
  if (!warnedUnknown && env.NODE_ENV === "production") {
    warnedUnknown = true;
    console.warn("[web] client addresses are unknown: start the web server with `npm start` or `npm run start:web` (server/http/front.ts), not `next start`; rate limits then count every client as one");
  }
  return UNKNOWN_ADDRESS;
}
