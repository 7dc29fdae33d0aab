-- Execution tags become n8n's annotation tags, a namespace of their own apart from workflow tags.

-- DropForeignKey
ALTER TABLE "execution_tag" DROP CONSTRAINT "execution_tag_tag_id_fkey";

-- CreateTable
CREATE TABLE "annotation_tag" (
    "id" VARCHAR(16) NOT NULL,
    "name" VARCHAR(24) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "annotation_tag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "annotation_tag_name_key" ON "annotation_tag"("name");

-- Existing execution tags pointed at workflow tags: keep them, as annotation tags with the same id and name.
INSERT INTO "annotation_tag" ("id", "name", "created_at", "updated_at")
SELECT t."id", t."name", t."created_at", t."updated_at" FROM "tag" t
WHERE EXISTS (SELECT 1 FROM "execution_tag" et WHERE et."tag_id" = t."id");

-- AddForeignKey
ALTER TABLE "execution_tag" ADD CONSTRAINT "execution_tag_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "annotation_tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;
