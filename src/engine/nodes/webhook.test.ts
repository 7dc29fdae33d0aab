import { describe, expect, it } from 'vitest';
import { runNode } from './test-support.ts';
import { webhookNode } from './webhook.ts';

const request = {
  headers: { host: 'localhost:5678', 'content-type': 'application/json' },
  params: { id: '42' },
  query: { q: 'x' },
  body: { n: 1 },
  webhookUrl: 'http://localhost:5678/webhook/orders/42',
  executionMode: 'production',
};

describe('webhook', () => {
  it('is a trigger without inputs', () => {
    expect(webhookNode.type).toBe('n8n-nodes-base.webhook');
    expect(webhookNode.trigger).toBe(true);
    expect(webhookNode.inputs?.({ name: 'W', type: webhookNode.type, typeVersion: 2, parameters: {} })).toBe(0);
  });

  it('emits the request item it was started with, unchanged, paired with its position', async () => {
    const binary = { data: { data: 'aGk=', mimeType: 'text/plain', fileName: 'hi.txt' } };
    const { result } = await runNode(webhookNode, {
      parameters: { path: 'orders/:id', httpMethod: 'POST' },
      inputs: [[{ json: request, binary }]],
    });
    expect(result).toEqual([[{ json: request, binary, pairedItem: { item: 0 } }]]);
  });

  it('emits several start items in order, and nothing without start data', async () => {
    const { result } = await runNode(webhookNode, { inputs: [[{ json: { a: 1 } }, { json: { a: 2 }, pairedItem: { item: 9 } }]] });
    expect(result).toEqual([
      [
        { json: { a: 1 }, pairedItem: { item: 0 } },
        { json: { a: 2 }, pairedItem: { item: 1 } },
      ],
    ]);
    expect((await runNode(webhookNode, { inputs: [] })).result).toEqual([[]]);
  });

  it('never answers the HTTP request itself', async () => {
    const { ctx } = await runNode(webhookNode, { inputs: [[{ json: request }]] });
    expect(ctx.responses).toEqual([]);
  });
});
