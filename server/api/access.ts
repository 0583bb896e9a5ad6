// Who may see what. Every procedure that takes an id goes through here, so "someone
// else's private run" is answered the same way everywhere: not found.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const VISIBILITIES = ["private", "unlisted", "public"] as const;
export const ZVisibility = z.enum(VISIBILITIES);
export type Visibility = z.infer<typeof ZVisibility>;

/** 18 random bytes: 144 bits, URL-safe, 24 characters. */
export function newShareToken(): string {
  return randomBytes(18).toString("base64url");
}

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Shareable {
  ownerId: string;
  visibility: string;
  shareToken: string;
}

export type Access = "owner" | "viewer" | null;

/**
 * The columns to write when an item's visibility changes. Becoming unlisted always brings a new
 * token: a link handed out while it was unlisted before stays dead.
 */
export function visibilityChange(from: string, to: Visibility): { visibility: Visibility; shareToken?: string } {
  return to === "unlisted" && from !== "unlisted" ? { visibility: to, shareToken: newShareToken() } : { visibility: to };
}

/** The owner may do anything; anyone may read a public item, or an unlisted one with its token. */
export function accessTo(item: Shareable, userId: string | null | undefined, token?: string | null): Access {
  if (userId && item.ownerId === userId) return "owner";
  if (item.visibility === "public") return "viewer";
  if (item.visibility === "unlisted" && token && tokensEqual(token, item.shareToken)) return "viewer";
  return null;
}
