// Applies the SQL migrations in prisma/migrations/<provider>/ that a database has not
// had yet, in order, each in a transaction. Safe when several processes start at once:
// PostgreSQL takes an advisory lock, SQLite takes its write lock before reading.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { Db, DbProvider } from "./client";

const MIGRATIONS_TABLE = "_faultline_migrations";
const PG_ADVISORY_LOCK_KEY = 7_262_022; // any constant; shared by every Faultline process

export function migrationsDir(provider: DbProvider, root = process.cwd()): string {
  return path.join(root, "prisma/migrations", provider);
}

/** Splits a Prisma-generated migration into statements (they end with ";" at a line end). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter((s) => s.length > 0);
}

export async function migrate(db: Db, provider: DbProvider, root = process.cwd()): Promise<string[]> {
  const dir = migrationsDir(provider, root);
  if (!existsSync(dir)) throw new Error(`no migrations folder at ${dir}`);
  const names = readdirSync(dir).filter((f) => /^\d{4}_/.test(f)).sort();
  await db.$executeRawUnsafe(
    `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)`,
  );
  if (provider === "sqlite") {
    // WAL lets the web server read while a worker writes; it is stored in the file.
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  }
  return db.$transaction(
    async (tx) => {
      if (provider === "postgres") {
        await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(${PG_ADVISORY_LOCK_KEY})::text AS locked`);
      } else {
        // A write as the first statement takes SQLite's write lock (waiting for it),
        // so two processes never both read "not applied" and both apply.
        await tx.$executeRawUnsafe(`DELETE FROM "${MIGRATIONS_TABLE}" WHERE "name" = ''`);
      }
      const rows = await tx.$queryRawUnsafe<{ name: string }[]>(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`);
      const done = new Set(rows.map((r) => r.name));
      const applied: string[] = [];
      for (const name of names) {
        if (done.has(name)) continue;
        const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
        for (const statement of splitStatements(sql)) await tx.$executeRawUnsafe(statement);
        const appliedAt = new Date().toISOString();
        await tx.$executeRaw`INSERT INTO "_faultline_migrations" ("name", "appliedAt") VALUES (${name}, ${appliedAt})`;
        applied.push(name);
      }
      return applied;
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
}
