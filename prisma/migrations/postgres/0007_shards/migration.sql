-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "partialAt" TIMESTAMP(3),
ADD COLUMN     "shardCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RunShard" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "pointIndex" INTEGER,
    "fromSeed" DOUBLE PRECISION NOT NULL,
    "count" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "fairTag" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lostLeases" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "workerId" TEXT,
    "seedsDone" INTEGER NOT NULL DEFAULT 0,
    "partial" TEXT,
    "error" TEXT,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RunShard_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RunShard_status_fairTag_idx" ON "RunShard"("status", "fairTag");

-- CreateIndex
CREATE INDEX "RunShard_status_leaseUntil_idx" ON "RunShard"("status", "leaseUntil");

-- CreateIndex
CREATE UNIQUE INDEX "RunShard_runId_index_key" ON "RunShard"("runId", "index");

-- AddForeignKey
ALTER TABLE "RunShard" ADD CONSTRAINT "RunShard_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Written by hand (Prisma's schema has no triggers), as for "Run" in 0004: a shard queued or
-- requeued wakes idle workers (server/worker/signals.ts) when its transaction commits.
CREATE OR REPLACE FUNCTION "faultline_shard_notify"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."status" = 'queued' THEN PERFORM pg_notify('faultline_queue', ''); END IF; RETURN NULL; END $$;

CREATE TRIGGER "RunShard_notify" AFTER INSERT OR UPDATE OF "status" ON "RunShard" FOR EACH ROW EXECUTE FUNCTION "faultline_shard_notify"();
