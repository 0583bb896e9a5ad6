// Start-up steps shared by `npm start`, `npm run dev`, `npm run worker` and the tests:
// a session secret that survives restarts, the database migrated, and (optionally)
// the demo data. Runs before server/env.ts is first imported, so it may set env vars.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");

/** Sets NEXTAUTH_SECRET from data/auth-secret (created once) when it is not set. */
export function ensureAuthSecret(): void {
  if (process.env.NEXTAUTH_SECRET) return;
  const file = path.join(root, "data", "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  process.env.NEXTAUTH_SECRET = readFileSync(file, "utf8").trim();
}

/** Applies pending migrations to DATABASE_URL (or the embedded default). */
export async function migrateDatabase(): Promise<void> {
  const { createDb, providerOf } = await import("@/server/db/client");
  const { migrate } = await import("@/server/db/migrate");
  const url = process.env.DATABASE_URL ?? "file:./data/faultline.db";
  const db = createDb(url);
  try {
    const applied = await migrate(db, providerOf(url), root);
    if (applied.length) console.log(`database: applied ${applied.join(", ")}`);
  } finally {
    await db.$disconnect();
  }
}
