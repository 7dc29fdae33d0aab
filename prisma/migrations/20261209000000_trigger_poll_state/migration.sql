-- CreateTable
CREATE TABLE "trigger_poll_state" (
    "workflow_id" VARCHAR(16) NOT NULL,
    "node" VARCHAR(128) NOT NULL,
    "state" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trigger_poll_state_pkey" PRIMARY KEY ("workflow_id","node")
);

-- AddForeignKey
ALTER TABLE "trigger_poll_state" ADD CONSTRAINT "trigger_poll_state_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
