-- Courses: academic integrity (sharing), LMS roster fields, drafts and reference checks.
-- Written as ADD COLUMN, not the table rebuild Prisma proposes: a rebuild's DROP TABLE of
-- "Assignment" would cascade into submissions when foreign keys are enforced.

-- AlterTable
ALTER TABLE "Scenario" ADD COLUMN "sharedAfter" DATETIME;

-- AlterTable
ALTER TABLE "CourseMember" ADD COLUMN "sisUserId" TEXT NOT NULL DEFAULT '';
ALTER TABLE "CourseMember" ADD COLUMN "section" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Assignment" ADD COLUMN "sharing" TEXT NOT NULL DEFAULT 'never';
ALTER TABLE "Assignment" ADD COLUMN "draft" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Submission" ADD COLUMN "reference" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Scenario_assignmentId_idx" ON "Scenario"("assignmentId");
