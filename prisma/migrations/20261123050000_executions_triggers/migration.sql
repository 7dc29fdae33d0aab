-- CreateTable
CREATE TABLE "execution" (
    "id" SERIAL NOT NULL,
    "workflow_id" VARCHAR(16) NOT NULL,
    "workflow_version_id" UUID,
    "finished" BOOLEAN NOT NULL DEFAULT false,
    "mode" VARCHAR(16) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "retry_of" INTEGER,
    "retry_success_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "stopped_at" TIMESTAMPTZ(3),
    "wait_till" TIMESTAMPTZ(3),
    "instance_id" INTEGER,
    "json_size_bytes" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "execution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "execution_data" (
    "execution_id" INTEGER NOT NULL,
    "data" JSON NOT NULL,
    "workflow_data" JSON NOT NULL,

    CONSTRAINT "execution_data_pkey" PRIMARY KEY ("execution_id")
);

-- CreateTable
CREATE TABLE "execution_tag" (
    "execution_id" INTEGER NOT NULL,
    "tag_id" VARCHAR(16) NOT NULL,

    CONSTRAINT "execution_tag_pkey" PRIMARY KEY ("execution_id","tag_id")
);

-- CreateTable
CREATE TABLE "webhook" (
    "method" VARCHAR(10) NOT NULL,
    "path" VARCHAR(512) NOT NULL,
    "workflow_id" VARCHAR(16) NOT NULL,
    "node" VARCHAR(128) NOT NULL,
    "webhook_id" VARCHAR(64),
    "path_length" INTEGER,

    CONSTRAINT "webhook_pkey" PRIMARY KEY ("method","path")
);

-- CreateTable
CREATE TABLE "schedule_trigger" (
    "workflow_id" VARCHAR(16) NOT NULL,
    "node" VARCHAR(128) NOT NULL,
    "rule_index" INTEGER NOT NULL,
    "rule" JSONB NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "next_run_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedule_trigger_pkey" PRIMARY KEY ("workflow_id","node","rule_index")
);

-- CreateIndex
CREATE INDEX "execution_workflow_id_id_idx" ON "execution"("workflow_id", "id" DESC);

-- CreateIndex
CREATE INDEX "execution_status_id_idx" ON "execution"("status", "id" DESC);

-- CreateIndex
CREATE INDEX "execution_wait_till_idx" ON "execution"("wait_till");

-- CreateIndex
CREATE INDEX "execution_stopped_at_idx" ON "execution"("stopped_at");

-- CreateIndex
CREATE INDEX "webhook_workflow_id_idx" ON "webhook"("workflow_id");

-- CreateIndex
CREATE INDEX "webhook_webhook_id_method_idx" ON "webhook"("webhook_id", "method");

-- CreateIndex
CREATE INDEX "schedule_trigger_next_run_at_idx" ON "schedule_trigger"("next_run_at");

-- AddForeignKey
ALTER TABLE "execution" ADD CONSTRAINT "execution_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_data" ADD CONSTRAINT "execution_data_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_tag" ADD CONSTRAINT "execution_tag_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_tag" ADD CONSTRAINT "execution_tag_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook" ADD CONSTRAINT "webhook_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_trigger" ADD CONSTRAINT "schedule_trigger_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
