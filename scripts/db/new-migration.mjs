// Writes a new SQL migration for both databases from the change to prisma/schema.prisma
// since the last migration. Usage: npm run db:migration -- <name>
// Each folder keeps schema.snapshot.prisma, the model its newest migration leads to.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync, copyFileSync } from "node:fs";
import path from "node:path";
import { writeVariants, root } from "./variants.mjs";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}
const schemas = writeVariants();
const prisma = path.join(root, "node_modules/prisma/build/index.js");
for (const provider of ["sqlite", "postgres"]) {
  const dir = path.join(root, "prisma/migrations", provider);
  mkdirSync(dir, { recursive: true });
  const snapshot = path.join(dir, "schema.snapshot.prisma");
  const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
  const sql = execFileSync(process.execPath, [prisma, "migrate", "diff", ...from, "--to-schema-datamodel", schemas[provider], "--script"], { cwd: root, encoding: "utf8" });
  if (!/CREATE|ALTER|DROP/i.test(sql)) {
    console.log(`${provider}: no change`);
    continue;
  }
  const n = readdirSync(dir).filter((f) => /^\d{4}_/.test(f)).length + 1;
  const folder = path.join(dir, `${String(n).padStart(4, "0")}_${name}`);
  mkdirSync(folder);
  writeFileSync(path.join(folder, "migration.sql"), sql);
  copyFileSync(schemas[provider], snapshot);
  console.log(`${provider}: wrote ${path.relative(root, folder)}/migration.sql`);
}
