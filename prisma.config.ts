// Prisma CLI configuration. The JS engine with a driver adapter lets `prisma generate`
// and `prisma migrate diff` work without downloading Prisma's native engines, which
// machines without internet access (CI, locked-down laptops) cannot do.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url: ":memory:" });
  },
});
