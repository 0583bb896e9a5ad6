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

-- Students' working copies made before this migration are locked like new ones: every existing
-- assignment's sharing is "never" (server/courses/integrity.ts SHARING_NEVER).
UPDATE "Scenario" SET "sharedAfter" = '9999-12-31T00:00:00.000+00:00' WHERE "assignmentId" IS NOT NULL;
