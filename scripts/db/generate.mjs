// Generates both Prisma clients (SQLite and PostgreSQL) from the one data model.
// Runs on `npm install` (postinstall) and after any schema change.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { writeVariants, root } from "./variants.mjs";

const schemas = writeVariants();
const prisma = path.join(root, "node_modules/prisma/build/index.js");
for (const schema of [schemas.sqlite, schemas.postgres]) {
  execFileSync(process.execPath, [prisma, "generate", "--schema", schema], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
}
console.log("prisma clients generated (sqlite, postgres)");
