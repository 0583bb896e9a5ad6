-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "fairKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "fairTag" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "lostLeases" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "weight" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "RunTrace" ADD COLUMN     "chunkCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "WorkerHeartbeat" ADD COLUMN     "slots" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "RunTraceChunk" (
    "runId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "RunTraceChunk_pkey" PRIMARY KEY ("runId","attempt","index")
);

-- CreateIndex
CREATE INDEX "Run_status_fairTag_idx" ON "Run"("status", "fairTag");

-- CreateIndex
CREATE INDEX "Run_status_leaseUntil_idx" ON "Run"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "Run_fairKey_fairTag_idx" ON "Run"("fairKey", "fairTag");

-- CreateIndex
CREATE INDEX "Run_fairTag_idx" ON "Run"("fairTag");

-- AddForeignKey
ALTER TABLE "RunTraceChunk" ADD CONSTRAINT "RunTraceChunk_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Written by hand (Prisma's schema has no triggers): every change of a run's queue state
-- notifies listeners (server/worker/signals.ts) when its transaction commits, so idle workers
-- wake when a run becomes claimable and run pages hear of progress without polling.
-- "faultline_queue": a run was queued or requeued; "faultline_run": this run (id) changed.
CREATE OR REPLACE FUNCTION "faultline_run_notify"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."status" = 'queued' THEN PERFORM pg_notify('faultline_queue', ''); END IF; IF TG_OP = 'UPDATE' THEN PERFORM pg_notify('faultline_run', NEW."id"); END IF; RETURN NULL; END $$;

CREATE TRIGGER "Run_notify" AFTER INSERT OR UPDATE OF "status", "progress", "attempt" ON "Run" FOR EACH ROW EXECUTE FUNCTION "faultline_run_notify"();
