-- A history entry keeps its graph (nodes, connections) in columns of its own, beside the rest of the snapshot: the
-- entry is then written by copying the workflow row's stored jsonb values, which PostgreSQL neither re-parses nor
-- re-compresses, instead of building one new document from them on every save.

-- AlterTable
ALTER TABLE "workflow_version" ADD COLUMN "nodes" JSONB, ADD COLUMN "connections" JSONB;

UPDATE "workflow_version"
   SET "nodes" = COALESCE("snapshot"->'nodes', '[]'::jsonb),
       "connections" = COALESCE("snapshot"->'connections', '{}'::jsonb),
       "snapshot" = "snapshot" - 'nodes' - 'connections';

ALTER TABLE "workflow_version" ALTER COLUMN "nodes" SET NOT NULL, ALTER COLUMN "connections" SET NOT NULL;
