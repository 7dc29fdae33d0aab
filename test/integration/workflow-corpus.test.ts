import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { createBodyOf, loadTemplates, type Template } from '../helpers/template-corpus.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Every community workflow n8n-mcp ships, posted as a client imports it. The expected verdicts come from
 * test/fixtures/corpus-refusals.json, written from n8n 2.39's request schema (its OpenAPI document) and the
 * structural checks n8n makes, independently of this server's code: each refused template lists every reason it
 * breaks a rule, and the server's 400 must name one of them. Every other template must be accepted and read back
 * with the nodes and connections it was sent with.
 */
const REASONS: Record<string, RegExp> = {
  'unknown-node-key': /^request\/body\/nodes\/\d+ Unrecognized key\(s\) in object: .+ \(node ".+"\): n8n's node schema has no such key/,
  'unknown-setting': /^request\/body\/settings Unrecognized key\(s\) in object/,
  'setting-type': /^request\/body\/settings\/\w+ /,
  'node-type': /^request\/body\/nodes\/\d+\/\w+ .+ \(node ".+"\)$/,
  'node-without-name':
    /^request\/body\/nodes\/\d+ must have required property 'name' \(the .+ node at index \d+: every node needs a unique name\)$/,
  'duplicate-name': /^request\/body\/nodes\/\d+\/name duplicate node name ".+": node names must be unique/,
  'duplicate-id': /^request\/body\/nodes\/\d+\/id node ".+" has the id ".*" of node ".+": node ids must be unique/,
  'connection-from-missing': /^request\/body\/connections\/.+ connections come from node ".+", which is not in nodes/,
  'connection-to-missing': /^request\/body\/connections\/.+ connection from ".+" goes to node ".+", which is not in nodes/,
};

const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/corpus-refusals.json'), 'utf8')) as {
  refused: Record<string, string[]>;
};

/** The node as it must read back: ids the server generated for nodes sent without one (or with "") are not compared. */
function comparable(sent: unknown[], received: { id?: string }[]) {
  return received.map((node, i) => {
    const original = sent[i] as { id?: unknown };
    if (original?.id !== undefined && original.id !== '') return node;
    expect(node.id).toMatch(/^[0-9a-f-]{36}$/);
    const { id: _generated, ...rest } = node;
    return rest;
  });
}

describe('the n8n-mcp template corpus (2,352 real community workflows)', () => {
  let t: TestApp;
  let templates: Template[];

  beforeAll(async () => {
    t = await buildTestApp();
    templates = loadTemplates();
  });
  afterAll(() => t?.close());

  it('accepts and reads back unchanged every template n8n 2.39 accepts, and refuses the others for their reason', async () => {
    expect(templates).toHaveLength(2352);
    const tally = { accepted: 0, exact: 0, refused: {} as Record<string, number> };
    const check = async (template: Template) => {
      const body = createBodyOf(template);
      const reasons = fixture.refused[String(template.workflowId)];
      const created = await api(t, 'POST', '/workflows', body);
      if (reasons) {
        expect(created.statusCode, `template ${template.workflowId} must be refused: ${created.body}`).toBe(400);
        const { message, code } = created.json();
        expect(code).toBe('VALIDATION_ERROR');
        const matched = reasons.find((reason) => REASONS[reason]!.test(message));
        expect(matched, `template ${template.workflowId}: "${message}" names none of ${reasons.join(', ')}`).toBeDefined();
        tally.refused[matched!] = (tally.refused[matched!] ?? 0) + 1;
        return;
      }
      expect(created.statusCode, `template ${template.workflowId} must be accepted: ${created.body.slice(0, 500)}`).toBe(200);
      tally.accepted++;
      const { id } = created.json();
      const read = await api(t, 'GET', `/workflows/${id}`);
      expect(read.statusCode).toBe(200);
      const workflow = read.json();
      const sent = body.nodes.map((node) => ((node as { id?: unknown }).id === '' ? { ...(node as object), id: undefined } : node));
      expect(comparable(body.nodes, workflow.nodes), `template ${template.workflowId} nodes`).toEqual(sent);
      expect(workflow.connections, `template ${template.workflowId} connections`).toEqual(body.connections);
      expect(workflow.settings, `template ${template.workflowId} settings`).toEqual(body.settings);
      tally.exact++;
      expect((await api(t, 'DELETE', `/workflows/${id}`)).statusCode).toBe(200);
    };
    // A few at a time: the database work of one request overlaps the JSON work of the next.
    for (let i = 0; i < templates.length; i += 8) await Promise.all(templates.slice(i, i + 8).map(check));

    console.info(
      `corpus: ${tally.accepted} accepted, ${tally.exact} read back exactly, refused by reason ${JSON.stringify(tally.refused)}`,
    );
    expect(tally.accepted).toBe(templates.length - Object.keys(fixture.refused).length);
    expect(tally.exact).toBe(tally.accepted);
    expect((await api(t, 'GET', '/workflows?limit=1')).json().data).toEqual([]);
  });
});
