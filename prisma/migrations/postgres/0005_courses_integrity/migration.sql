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

