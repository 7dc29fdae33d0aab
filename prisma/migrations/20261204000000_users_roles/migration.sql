-- Users, their project memberships and custom roles (issue 19). Every API key now belongs to a user: the keys of
-- a server from before are given to the owner user made here, and the owner's personal project (if one exists
-- yet) becomes that user's. System roles are not rows: they are defined in code (src/modules/roles/system-roles.ts).

-- CreateTable
CREATE TABLE "user_account" (
    "id" UUID NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "first_name" VARCHAR(32),
    "last_name" VARCHAR(32),
    "role" VARCHAR(128) NOT NULL,
    "is_pending" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "user_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project_relation" (
    "project_id" VARCHAR(16) NOT NULL,
    "user_id" UUID NOT NULL,
    "role" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "project_relation_pkey" PRIMARY KEY ("project_id","user_id")
);

-- CreateTable
CREATE TABLE "role" (
    "slug" VARCHAR(128) NOT NULL,
    "display_name" VARCHAR(100) NOT NULL,
    "description" TEXT,
    "role_type" VARCHAR(16) NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "role_pkey" PRIMARY KEY ("slug")
);

-- CreateIndex
CREATE UNIQUE INDEX "user_account_email_key" ON "user_account"("email");

-- CreateIndex
CREATE INDEX "user_account_created_at_id_idx" ON "user_account"("created_at", "id");

-- CreateIndex
CREATE INDEX "project_relation_user_id_idx" ON "project_relation"("user_id");

-- The owner: the person who set this server up. Every server has one from here on.
INSERT INTO "user_account" ("id", "email", "role", "is_pending", "updated_at")
VALUES (gen_random_uuid(), 'owner@flowgate.local', 'global:owner', false, now());

-- The owner's personal project, if it was made already (it is otherwise made on first use, with its relation).
INSERT INTO "project_relation" ("project_id", "user_id", "role", "updated_at")
SELECT p."id", u."id", 'project:personalOwner', now()
FROM (SELECT "id" FROM "project" WHERE "type" = 'personal' ORDER BY "created_at" LIMIT 1) p, "user_account" u;

-- AlterTable: the keys of before are the owner's.
ALTER TABLE "api_key" ADD COLUMN "user_id" UUID;
UPDATE "api_key" SET "user_id" = (SELECT "id" FROM "user_account");
ALTER TABLE "api_key" ALTER COLUMN "user_id" SET NOT NULL;

-- CreateIndex
CREATE INDEX "api_key_user_id_idx" ON "api_key"("user_id");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_relation" ADD CONSTRAINT "project_relation_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_relation" ADD CONSTRAINT "project_relation_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
