// The site's address as the world sees it, for links that leave the site (oEmbed, embed snippets):
// NEXTAUTH_URL when it is configured, else the host the browser addressed, over https when the
// request came so (directly or, with TRUST_PROXY, as a trusted proxy says: the web front removes
// forwarding headers it does not trust).
import { env } from "@/server/env";

const HOST = /^[A-Za-z0-9.:[\]-]{1,255}$/;

export function publicOrigin(headers: Headers, requestUrl?: string): string {
  if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  const scheme = forwarded === "https" || forwarded === "http" ? forwarded : requestUrl ? new URL(requestUrl).protocol.replace(/:$/, "") : "http";
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  if (host && HOST.test(host)) return `${scheme}://${host}`;
  return requestUrl ? new URL(requestUrl).origin : "http://localhost";
}
