-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "searchState" TEXT;

-- AlterTable
ALTER TABLE "RunShard" ADD COLUMN     "input" TEXT;

