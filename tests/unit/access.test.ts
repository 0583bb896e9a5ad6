// Who may read what: owner, public, unlisted with the exact token; nobody else.
import { describe, expect, it } from "vitest";
import { accessTo, newShareToken } from "@/server/api/access";
import { RateLimiter } from "@/server/auth/rate-limit";

describe("accessTo", () => {
  const token = newShareToken();
  const item = (visibility: string) => ({ ownerId: "alice", visibility, shareToken: token });

  it("lets the owner do anything, whatever the visibility", () => {
    for (const v of ["private", "unlisted", "public"]) expect(accessTo(item(v), "alice")).toBe("owner");
  });

  it("hides a private item from everyone else, token or not", () => {
    expect(accessTo(item("private"), "bob")).toBeNull();
    expect(accessTo(item("private"), null, token)).toBeNull();
  });

  it("shows an unlisted item only with its exact token", () => {
    expect(accessTo(item("unlisted"), "bob", token)).toBe("viewer");
    expect(accessTo(item("unlisted"), null, token)).toBe("viewer");
    expect(accessTo(item("unlisted"), "bob")).toBeNull();
    expect(accessTo(item("unlisted"), "bob", token.slice(1))).toBeNull();
    expect(accessTo(item("unlisted"), "bob", newShareToken())).toBeNull();
  });

  it("shows a public item to anyone", () => {
    expect(accessTo(item("public"), null)).toBe("viewer");
  });

  it("makes tokens of at least 128 random bits", () => {
    const tokens = new Set(Array.from({ length: 1000 }, newShareToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(Buffer.from(t, "base64url").length * 8).toBeGreaterThanOrEqual(128);
  });
});

describe("RateLimiter", () => {
  it("allows `limit` attempts per window per key", () => {
    const limiter = new RateLimiter(3, 1000);
    expect([1, 2, 3, 4].map(() => limiter.take("k", 0))).toEqual([true, true, true, false]);
    expect(limiter.take("other", 0)).toBe(true);
    expect(limiter.take("k", 999)).toBe(false);
    expect(limiter.take("k", 1000)).toBe(true);
  });
});
