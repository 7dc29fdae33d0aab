-- CreateTable
CREATE TABLE "data_table" (
    "id" VARCHAR(16) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "project_id" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "data_table_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "data_table_column" (
    "id" VARCHAR(16) NOT NULL,
    "data_table_id" VARCHAR(16) NOT NULL,
    "name" VARCHAR(63) NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "index" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "data_table_column_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "data_table_project_id_name_key" ON "data_table"("project_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "data_table_column_data_table_id_name_key" ON "data_table_column"("data_table_id", "name");

-- AddForeignKey
ALTER TABLE "data_table" ADD CONSTRAINT "data_table_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_table_column" ADD CONSTRAINT "data_table_column_data_table_id_fkey" FOREIGN KEY ("data_table_id") REFERENCES "data_table"("id") ON DELETE CASCADE ON UPDATE CASCADE;
