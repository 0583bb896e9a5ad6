// The migrations match the data model: forgetting `npm run db:migration` after a schema
// change fails here rather than in production.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { postgresVariant } from "../../scripts/db/variants.mjs";
import { splitStatements } from "@/server/db/migrate";

const root = path.resolve(import.meta.dirname, "../..");
const read = (p: string) => readFileSync(path.join(root, p), "utf8");

describe("migrations", () => {
  it("were generated from the current data model, for both databases", () => {
    const schema = read("prisma/schema.prisma");
    expect(read("prisma/migrations/sqlite/schema.snapshot.prisma")).toBe(schema);
    expect(read("prisma/migrations/postgres/schema.snapshot.prisma")).toBe(postgresVariant(schema));
  });

  it("split into statements without comments", () => {
    const sql = "-- CreateTable\nCREATE TABLE \"A\" (\n  \"x\" TEXT\n);\n\n-- CreateIndex\nCREATE INDEX \"i\" ON \"A\"(\"x\");\n";
    expect(splitStatements(sql)).toEqual(['CREATE TABLE "A" (\n  "x" TEXT\n)', 'CREATE INDEX "i" ON "A"("x")']);
  });
});
