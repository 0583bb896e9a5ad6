// Real databases for integration tests: a fresh SQLite file, and (when TEST_DATABASE_URL
// points at a PostgreSQL server) a fresh PostgreSQL database, both migrated by the same
// migrator the service uses. `describe.each(PROVIDERS)` runs a suite on each.
import { randomBytes } from "node:crypto";
import { rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { TRPCError } from "@trpc/server";
import { createDb, type Db, type DbProvider } from "@/server/db/client";
import { migrate } from "@/server/db/migrate";
import { createCaller } from "@/server/api/root";
import type { SessionUser } from "@/server/auth/options";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const PROVIDERS: DbProvider[] = ["sqlite", ...(process.env.TEST_DATABASE_URL ? (["postgres"] as const) : [])];

export interface TestDb {
  db: Db;
  provider: DbProvider;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDb(provider: DbProvider): Promise<TestDb> {
  const name = `fl_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  if (provider === "sqlite") {
    const dir = path.join(ROOT, "data", "test");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.db`);
    const url = `file:${file}`;
    const db = createDb(url);
    await migrate(db, "sqlite", ROOT);
    return {
      db,
      provider,
      url,
      async drop() {
        await db.$disconnect();
        for (const s of ["", "-wal", "-shm", "-journal"]) rmSync(file + s, { force: true });
      },
    };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error("TEST_DATABASE_URL is not set");
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE "${name}"`);
  await adminClient.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url);
  await migrate(db, "postgres", ROOT);
  return {
    db,
    provider,
    url,
    async drop() {
      await db.$disconnect();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

let userCounter = 0;
export async function makeUser(db: Db, name = "user"): Promise<SessionUser> {
  userCounter += 1;
  const email = `${name.toLowerCase().replace(/\W+/g, "")}${userCounter}-${randomBytes(3).toString("hex")}@test.faultline`;
  return db.user.create({ data: { email, name }, select: { id: true, email: true, name: true } });
}

export function callerFor(t: TestDb, user: SessionUser | null, ip = "test") {
  return createCaller({ db: t.db, dbProvider: t.provider, user, ip });
}

/** The tRPC error code a call fails with, or "OK": for asserting access rules tersely. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}
