// Sign-in options: email and password always; GitHub only when its id and secret are set.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { hashPassword, verifyPassword } from "@/server/auth/password";

const root = path.resolve(import.meta.dirname, "../..");

function providerIds(env: Record<string, string>): string[] {
  const script = `const { authOptions } = await import("./server/auth/options.ts"); console.log(JSON.stringify(authOptions.providers.map((p) => p.id)));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", DATABASE_URL: "file:./data/test/auth-options.db", NEXTAUTH_SECRET: "x".repeat(32), ...env },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop()!) as string[];
}

describe("sign-in providers", () => {
  it("offers email and password only, by default", () => {
    expect(providerIds({})).toEqual(["credentials"]);
  });

  it("adds GitHub when its client id and secret are set", () => {
    expect(providerIds({ GITHUB_ID: "id", GITHUB_SECRET: "secret" })).toEqual(["credentials", "github"]);
  });
});

describe("passwords", () => {
  it("are stored as bcrypt hashes that verify only the right password", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$2[aby]\$10\$.{53}$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
  });
});
