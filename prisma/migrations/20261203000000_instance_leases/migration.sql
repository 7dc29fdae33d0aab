-- Instance liveness becomes a lease renewed over the ordinary pool (instance-liveness.ts), instead of a session
-- advisory lock held by one dedicated connection: a short connection drop no longer makes a live instance look
-- dead, and a host that vanishes with its TCP connection half-open is noticed when its lease expires.
-- Queue mode stores a queued run's start input beside its workflow, so a job carries only the execution id.

-- AlterTable
ALTER TABLE "execution_data" ADD COLUMN     "start_input" JSON;

-- CreateTable
CREATE TABLE "instance_lease" (
    "id" INTEGER NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "hostname" VARCHAR(255) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "instance_lease_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "instance_lease_expires_at_idx" ON "instance_lease"("expires_at");
