-- AlterTable
ALTER TABLE "Scenario" ADD COLUMN     "sharedAfter" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "CourseMember" ADD COLUMN     "section" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "sisUserId" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Assignment" ADD COLUMN     "draft" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "sharing" TEXT NOT NULL DEFAULT 'never';

-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "reference" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Scenario_assignmentId_idx" ON "Scenario"("assignmentId");


-- Students' working copies made before this migration are locked like new ones: every existing
-- assignment's sharing is "never" (server/courses/integrity.ts SHARING_NEVER).
UPDATE "Scenario" SET "sharedAfter" = '9999-12-31 00:00:00' WHERE "assignmentId" IS NOT NULL;
