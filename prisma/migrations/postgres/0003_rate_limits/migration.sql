-- CreateTable
CREATE TABLE "Attempt" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "address" TEXT NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'pending',
    "stranger" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Attempt_kind_subject_address_createdAt_idx" ON "Attempt"("kind", "subject", "address", "createdAt");

-- CreateIndex
CREATE INDEX "Attempt_kind_address_createdAt_idx" ON "Attempt"("kind", "address", "createdAt");

-- CreateIndex
CREATE INDEX "Attempt_kind_subject_createdAt_idx" ON "Attempt"("kind", "subject", "createdAt");

-- CreateIndex
CREATE INDEX "Attempt_createdAt_idx" ON "Attempt"("createdAt");

