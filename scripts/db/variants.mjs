// Derives the PostgreSQL schema from the one data model (prisma/schema.prisma, written
// for SQLite). Only the datasource provider and the generated client's folder differ.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const sqliteSchema = path.join(root, "prisma/schema.prisma");
export const postgresSchema = path.join(root, "prisma/postgres/schema.prisma");

export function postgresVariant(source) {
  const out = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./unused.db"', 'url      = "postgresql://unused"')
    .replace('output     = "../server/db/generated/sqlite"', 'output     = "../../server/db/generated/postgres"');
  if (out.includes('"sqlite"') || !out.includes("generated/postgres")) {
    throw new Error("prisma/schema.prisma no longer has the lines scripts/db/variants.mjs rewrites");
  }
  return "// GENERATED from prisma/schema.prisma by scripts/db/variants.mjs. Do not edit.\n" + out;
}

export function writeVariants() {
  mkdirSync(path.dirname(postgresSchema), { recursive: true });
  writeFileSync(postgresSchema, postgresVariant(readFileSync(sqliteSchema, "utf8")));
  return { sqlite: sqliteSchema, postgres: postgresSchema };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeVariants();
}
