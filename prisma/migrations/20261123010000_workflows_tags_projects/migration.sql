-- CreateTable
CREATE TABLE "project" (
    "id" VARCHAR(16) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "icon" JSONB,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflow" (
    "id" VARCHAR(16) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "description" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "active_version_id" UUID,
    "is_archived" BOOLEAN NOT NULL DEFAULT false,
    "version_id" UUID NOT NULL,
    "version_counter" INTEGER NOT NULL DEFAULT 1,
    "trigger_count" INTEGER NOT NULL DEFAULT 0,
    "nodes" JSONB NOT NULL,
    "connections" JSONB NOT NULL,
    "node_groups" JSONB NOT NULL DEFAULT '[]',
    "settings" JSONB NOT NULL,
    "static_data" JSONB,
    "pin_data" JSONB,
    "meta" JSONB,
    "project_id" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workflow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tag" (
    "id" VARCHAR(16) NOT NULL,
    "name" VARCHAR(24) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflow_tag" (
    "workflow_id" VARCHAR(16) NOT NULL,
    "tag_id" VARCHAR(16) NOT NULL,

    CONSTRAINT "workflow_tag_pkey" PRIMARY KEY ("workflow_id","tag_id")
);

-- CreateTable
CREATE TABLE "workflow_version" (
    "version_id" UUID NOT NULL,
    "workflow_id" VARCHAR(16) NOT NULL,
    "counter" INTEGER NOT NULL,
    "authors" VARCHAR(255) NOT NULL,
    "author_key_id" VARCHAR(16),
    "message" TEXT,
    "name" TEXT,
    "description" TEXT,
    "snapshot" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workflow_version_pkey" PRIMARY KEY ("version_id")
);

-- CreateIndex
CREATE INDEX "workflow_created_at_id_idx" ON "workflow"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "workflow_project_id_created_at_id_idx" ON "workflow"("project_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "workflow_name_idx" ON "workflow"("name");

-- CreateIndex
CREATE UNIQUE INDEX "tag_name_key" ON "tag"("name");

-- CreateIndex
CREATE INDEX "workflow_tag_tag_id_idx" ON "workflow_tag"("tag_id");

-- CreateIndex
CREATE INDEX "workflow_version_workflow_id_created_at_idx" ON "workflow_version"("workflow_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "workflow" ADD CONSTRAINT "workflow_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow_tag" ADD CONSTRAINT "workflow_tag_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow_tag" ADD CONSTRAINT "workflow_tag_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow_version" ADD CONSTRAINT "workflow_version_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
