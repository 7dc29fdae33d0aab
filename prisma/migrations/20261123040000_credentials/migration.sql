-- CreateTable
CREATE TABLE "credential" (
    "id" VARCHAR(16) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "type" VARCHAR(64) NOT NULL,
    "data" TEXT NOT NULL,
    "key_id" VARCHAR(12) NOT NULL,
    "project_id" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "credential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "credential_created_at_id_idx" ON "credential"("created_at", "id");

-- CreateIndex
CREATE INDEX "credential_type_idx" ON "credential"("type");

-- AddForeignKey
ALTER TABLE "credential" ADD CONSTRAINT "credential_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
