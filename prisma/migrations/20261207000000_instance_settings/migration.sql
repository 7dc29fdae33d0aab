-- CreateTable
CREATE TABLE "instance_setting" (
    "key" VARCHAR(64) NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "instance_setting_pkey" PRIMARY KEY ("key")
);
