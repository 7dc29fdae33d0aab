import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../helpers/template-corpus.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * How much of the real corpus this server can run: the n8n-accepted community templates (n8n-mcp's 2,352 minus
 * those n8n 2.39 refuses) whose every node type is implemented. The figure may only go up: a change that drops a
 * node type's support fails here. It prints the missing types that block the most templates, the work list.
 */
const FLOOR = 153;
/** Notes on the canvas, never run. */
const IGNORED = new Set(['n8n-nodes-base.stickyNote']);

const refused = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/corpus-refusals.json'), 'utf8')) as {
    refused: Record<string, string[]>;
  }
).refused;

let t: TestApp;
beforeAll(async () => {
  // Counted with every implemented type on, including those NODES_EXCLUDE turns off by default.
  t = await buildTestApp({ NODES_EXCLUDE: '[]' });
});
afterAll(() => t.close());

describe('node coverage of the template corpus', () => {
  it(`runs every node type of at least ${FLOOR} of the n8n-accepted templates`, () => {
    const implemented = new Set(t.app.services.nodeTypes.types());
    const accepted = loadTemplates().filter((template) => !refused[String(template.workflowId)]);
    expect(accepted.length).toBeGreaterThan(2200);
    let covered = 0;
    const blocking = new Map<string, number>();
    for (const template of accepted) {
      const types = new Set(
        (template.workflow.nodes as { type?: string }[]).map((n) => n.type ?? '').filter((type) => type && !IGNORED.has(type)),
      );
      const missing = [...types].filter((type) => !implemented.has(type));
      if (!missing.length) covered++;
      for (const type of missing) blocking.set(type, (blocking.get(type) ?? 0) + 1);
    }
    const top = [...blocking].sort((a, b) => b[1] - a[1]).slice(0, 15);
    process.stdout.write(
      `\nnode coverage: ${covered} of ${accepted.length} n8n-accepted templates have every node type implemented (${implemented.size} types)\n` +
        `missing types by templates they block: ${top.map(([type, n]) => `${type.replace('n8n-nodes-base.', '')} ${n}`).join(', ')}\n`,
    );
    expect(covered).toBeGreaterThanOrEqual(FLOOR);
  });
});
