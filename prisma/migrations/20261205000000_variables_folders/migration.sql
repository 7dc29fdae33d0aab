-- AlterTable
ALTER TABLE "workflow" ADD COLUMN     "parent_folder_id" VARCHAR(16);

-- CreateTable
CREATE TABLE "variable" (
    "id" VARCHAR(16) NOT NULL,
    "key" VARCHAR(50) NOT NULL,
    "type" VARCHAR(16) NOT NULL DEFAULT 'string',
    "value" VARCHAR(1000) NOT NULL,
    "project_id" VARCHAR(16),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "variable_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "folder" (
    "id" VARCHAR(16) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "project_id" VARCHAR(16) NOT NULL,
    "parent_folder_id" VARCHAR(16),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "folder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "variable_project_id_idx" ON "variable"("project_id");

-- CreateIndex
CREATE INDEX "folder_project_id_parent_folder_id_idx" ON "folder"("project_id", "parent_folder_id");

-- CreateIndex
CREATE INDEX "folder_parent_folder_id_idx" ON "folder"("parent_folder_id");

-- AddForeignKey
ALTER TABLE "variable" ADD CONSTRAINT "variable_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "folder" ADD CONSTRAINT "folder_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "folder" ADD CONSTRAINT "folder_parent_folder_id_fkey" FOREIGN KEY ("parent_folder_id") REFERENCES "folder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow" ADD CONSTRAINT "workflow_parent_folder_id_fkey" FOREIGN KEY ("parent_folder_id") REFERENCES "folder"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A key names one global variable, and one variable per project (which wins over the global one in that project).
CREATE UNIQUE INDEX "variable_global_key_key" ON "variable"("key") WHERE "project_id" IS NULL;
CREATE UNIQUE INDEX "variable_project_id_key_key" ON "variable"("project_id", "key") WHERE "project_id" IS NOT NULL;

-- Workflows of a folder (folder counts, moves on delete).
CREATE INDEX "workflow_parent_folder_id_idx" ON "workflow"("parent_folder_id");
