// The database client: one Prisma client per process, for SQLite (embedded default) or
// PostgreSQL, chosen by DATABASE_URL. Both clients come from the same data model, so
// the rest of the service uses one type (Db) and never asks which database it has.
import path from "node:path";
import { mkdirSync } from "node:fs";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";

export type Db = SqliteClient;
export type DbProvider = "sqlite" | "postgres";

export function providerOf(url: string): DbProvider {
  return url.startsWith("file:") ? "sqlite" : "postgres";
}

/** Creates a client for `url`. Most code uses the shared `db` from server/db; tests and
 * scripts that need their own database call this directly. */
export function createDb(url: string): Db {
  if (providerOf(url) === "sqlite") {
    const file = url.slice("file:".length);
    const resolved = file === ":memory:" ? file : path.resolve(/*turbopackIgnore: true*/ process.cwd(), file);
    if (resolved !== ":memory:") mkdirSync(path.dirname(resolved), { recursive: true });
    // timeout: how long a writer waits for another process's write lock (busy_timeout).
    return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${resolved}`, timeout: 15_000 }) });
  }
  const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
  // Same model, same generated API: the PostgreSQL client is used through the SQLite type.
  return client as unknown as Db;
}
