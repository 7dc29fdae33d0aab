-- AlterTable
ALTER TABLE "workflow_version" ADD COLUMN     "operations" JSONB;
