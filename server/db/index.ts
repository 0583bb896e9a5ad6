// The process's shared database client (server/db/client.ts explains the two databases).
// Cached on globalThis so Next.js development reloads do not open a client per reload.
import { env } from "@/server/env";
import { createDb, providerOf, type Db } from "./client";

const cache = globalThis as unknown as { faultlineDb?: Db };

export const db: Db = cache.faultlineDb ?? createDb(env.DATABASE_URL);
if (env.NODE_ENV !== "production") cache.faultlineDb = db;

export const dbProvider = providerOf(env.DATABASE_URL);
export type { Db } from "./client";
