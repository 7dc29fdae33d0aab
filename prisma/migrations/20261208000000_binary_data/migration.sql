-- CreateTable
CREATE TABLE "binary_data" (
    "id" UUID NOT NULL,
    "execution_id" INTEGER,
    "size" BIGINT NOT NULL,
    "data" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "binary_data_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "binary_data_execution_id_idx" ON "binary_data"("execution_id");

-- CreateIndex
CREATE INDEX "binary_data_created_at_idx" ON "binary_data"("created_at");

-- AddForeignKey
ALTER TABLE "binary_data" ADD CONSTRAINT "binary_data_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
