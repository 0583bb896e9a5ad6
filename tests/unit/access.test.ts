// Who may read what: owner, public, unlisted with the exact token; nobody else.
import { describe, expect, it } from "vitest";
import { accessTo, newShareToken } from "@/server/api/access";

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
