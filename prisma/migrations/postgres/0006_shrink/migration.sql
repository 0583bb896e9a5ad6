-- AlterTable
ALTER TABLE "ScenarioVersion" ADD COLUMN     "shrunkFromRunId" TEXT;

