-- Written by hand instead of Prisma's "RedefineTables": the migrator applies a migration in
-- one transaction, where PRAGMA foreign_keys=OFF has no effect, so rebuilding "Run" would
-- cascade its DROP into every RunTrace. ADD COLUMN with a constant default gives the same
-- schema (only the column order differs, which Prisma ignores).

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "failures" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Run" ADD COLUMN "lostLeases" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Run" ADD COLUMN "fairKey" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Run" ADD COLUMN "weight" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "Run" ADD COLUMN "fairTag" REAL NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "RunTrace" ADD COLUMN "chunkCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "WorkerHeartbeat" ADD COLUMN "slots" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "RunTraceChunk" (
    "runId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("runId", "attempt", "index"),
    CONSTRAINT "RunTraceChunk_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Run_status_fairTag_idx" ON "Run"("status", "fairTag");

-- CreateIndex
CREATE INDEX "Run_status_leaseUntil_idx" ON "Run"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "Run_fairKey_fairTag_idx" ON "Run"("fairKey", "fairTag");

-- CreateIndex
CREATE INDEX "Run_fairTag_idx" ON "Run"("fairTag");
