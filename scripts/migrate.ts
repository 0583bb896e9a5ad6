// `npx tsx scripts/migrate.ts`: apply pending migrations to DATABASE_URL and exit.
import { migrateDatabase } from "./lib/prepare";

await migrateDatabase();
