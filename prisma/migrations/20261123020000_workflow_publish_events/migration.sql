-- CreateTable
CREATE TABLE "workflow_publish_event" (
    "id" SERIAL NOT NULL,
    "workflow_id" VARCHAR(16) NOT NULL,
    "version_id" UUID NOT NULL,
    "event" VARCHAR(16) NOT NULL,
    "user_id" VARCHAR(16),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workflow_publish_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "workflow_publish_event_workflow_id_version_id_idx" ON "workflow_publish_event"("workflow_id", "version_id");

-- AddForeignKey
ALTER TABLE "workflow_publish_event" ADD CONSTRAINT "workflow_publish_event_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
