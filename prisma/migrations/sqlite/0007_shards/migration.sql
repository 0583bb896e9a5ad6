-- Written by hand instead of Prisma's "RedefineTables", as in 0004: rebuilding "Run" inside the
-- migrator's transaction would cascade its DROP into every trace. ADD COLUMN gives the same schema.

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "shardCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Run" ADD COLUMN "partialAt" DATETIME;

-- CreateTable
CREATE TABLE "RunShard" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "pointIndex" INTEGER,
    "fromSeed" REAL NOT NULL,
    "count" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "fairTag" REAL NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lostLeases" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" DATETIME,
    "workerId" TEXT,
    "seedsDone" INTEGER NOT NULL DEFAULT 0,
    "partial" TEXT,
    "error" TEXT,
    "finishedAt" DATETIME,
    CONSTRAINT "RunShard_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "RunShard_status_fairTag_idx" ON "RunShard"("status", "fairTag");

-- CreateIndex
CREATE INDEX "RunShard_status_leaseUntil_idx" ON "RunShard"("status", "leaseUntil");

-- CreateIndex
CREATE UNIQUE INDEX "RunShard_runId_index_key" ON "RunShard"("runId", "index");

