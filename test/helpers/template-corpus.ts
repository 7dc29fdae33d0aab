import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One community workflow from n8n-mcp's template database. */
export interface Template {
  workflowId: number;
  name: string;
  workflow: { name?: string; nodes: unknown[]; connections: Record<string, unknown>; settings?: Record<string, unknown> | null };
}

interface SqliteDatabase {
  prepare(sql: string): { all(): { workflow_id: number; name: string; workflow_json_compressed: string }[] };
  close(): void;
}

const require = createRequire(import.meta.url);

/** n8n-mcp (a pinned dev dependency) ships 2,352 real community workflows in its SQLite database. */
// Its exports hide package.json; the entry point is dist/index.js, two levels below the package root.
export const TEMPLATE_DB = path.resolve(path.dirname(require.resolve('n8n-mcp')), '..', 'data', 'nodes.db');

/** Every template, decoded: `workflow_json_compressed` is base64 of gzip of the workflow JSON. */
export function loadTemplates(): Template[] {
  const Database = require('better-sqlite3') as new (file: string, options: { readonly: boolean }) => SqliteDatabase;
  const db = new Database(TEMPLATE_DB, { readonly: true });
  try {
    const rows = db.prepare('SELECT workflow_id, name, workflow_json_compressed FROM templates ORDER BY workflow_id').all();
    return rows.map((row) => ({
      workflowId: row.workflow_id,
      name: row.name,
      workflow: JSON.parse(gunzipSync(Buffer.from(row.workflow_json_compressed, 'base64')).toString('utf8')),
    }));
  } finally {
    db.close();
  }
}

/** The body a client posts for a template: `{ name, nodes, connections, settings }`, as an n8n import does. */
export function createBodyOf(template: Template) {
  const { workflow } = template;
  return {
    name: (workflow.name?.trim() || template.name).slice(0, 128),
    nodes: workflow.nodes,
    connections: workflow.connections,
    settings: workflow.settings ?? {},
  };
}
