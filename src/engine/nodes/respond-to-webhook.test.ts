import { describe, expect, it } from 'vitest';
import { NodeOperationError } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { respondToWebhookNode } from './respond-to-webhook.ts';
import { runNode, testContext } from './test-support.ts';

const input: Item[] = [
  { json: { id: 1, name: 'first' }, pairedItem: { item: 0 } },
  { json: { id: 2, name: 'second' }, pairedItem: { item: 1 } },
];

async function respond(parameters: JsonObject, items: Item[] = input, evaluate?: (expression: string, itemIndex: number) => unknown) {
  const { result, ctx } = await runNode(respondToWebhookNode, { parameters, items, ...(evaluate ? { evaluate } : {}) });
  return { result, responses: ctx.responses };
}

/** Runs the node expecting a NodeOperationError; also returns what it answered before failing. */
async function rejection(parameters: JsonObject) {
  const ctx = testContext({ parameters, items: input, node: { type: respondToWebhookNode.type } });
  const error = await respondToWebhookNode.execute(ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NodeOperationError);
  return { error: error as NodeOperationError, responses: ctx.responses };
}

describe('respondToWebhook', () => {
  it('answers with the first incoming item by default, status 200, and passes the items on unchanged', async () => {
    const { result, responses } = await respond({});
    expect(responses).toEqual([{ statusCode: 200, headers: {}, body: { id: 1, name: 'first' } }]);
    expect(result).toEqual([input]);
  });

  it('firstIncomingItem without items answers {}', async () => {
    const { result, responses } = await respond({ respondWith: 'firstIncomingItem' }, []);
    expect(responses).toEqual([{ statusCode: 200, headers: {}, body: {} }]);
    expect(result).toEqual([[]]);
  });

  it('allIncomingItems answers with the json of every item', async () => {
    const { responses } = await respond({ respondWith: 'allIncomingItems' });
    expect(responses).toEqual([
      {
        statusCode: 200,
        headers: {},
        body: [
          { id: 1, name: 'first' },
          { id: 2, name: 'second' },
        ],
      },
    ]);
  });

  it('json parses a string body, and takes an object body as it is', async () => {
    const parsed = await respond({ respondWith: 'json', responseBody: '{ "ok": true, "list": [1, 2] }' });
    expect(parsed.responses).toEqual([{ statusCode: 200, headers: {}, body: { ok: true, list: [1, 2] } }]);
    const object = await respond({ respondWith: 'json', responseBody: { ok: 'yes' } });
    expect(object.responses).toEqual([{ statusCode: 200, headers: {}, body: { ok: 'yes' } }]);
    const empty = await respond({ respondWith: 'json' });
    expect(empty.responses).toEqual([{ statusCode: 200, headers: {}, body: {} }]);
  });

  it('json resolves an expression in the body for the first item', async () => {
    // The engine resolves every item's value up front; the node must answer with item 0's.
    const { responses } = await respond(
      { respondWith: 'json', responseBody: '={{ JSON.stringify({ id: $json.id }) }}' },
      input,
      (_expression, itemIndex) => `{"id":${itemIndex + 1}}`,
    );
    expect(responses).toEqual([{ statusCode: 200, headers: {}, body: { id: 1 } }]);
  });

  it('json with invalid JSON fails with a NodeOperationError and does not answer', async () => {
    const { error, responses } = await rejection({ respondWith: 'json', responseBody: '{ ok: true' });
    expect(error.message).toBe('Invalid JSON in "Response Body" field');
    expect(error.description).toBe('Check the JSON you set in the Respond to Webhook node.');
    expect(responses).toEqual([]);
  });

  it('text answers the body as a string with a text/plain content type, unless a header sets one', async () => {
    const plain = await respond({ respondWith: 'text', responseBody: 'hello' });
    expect(plain.responses).toEqual([{ statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'hello' }]);
    const html = await respond({
      respondWith: 'text',
      responseBody: '<b>hi</b>',
      options: { responseHeaders: { entries: [{ name: 'Content-Type', value: 'text/html' }] } },
    });
    expect(html.responses).toEqual([{ statusCode: 200, headers: { 'content-type': 'text/html' }, body: '<b>hi</b>' }]);
    const number = await respond({ respondWith: 'text', responseBody: 42 });
    expect(number.responses[0]?.body).toBe('42');
  });

  it('noData answers without a body', async () => {
    const { result, responses } = await respond({ respondWith: 'noData', options: { responseCode: 204 } });
    expect(responses).toEqual([{ statusCode: 204, headers: {}, body: undefined }]);
    expect(result).toEqual([input]);
  });

  it('redirect answers 307 with a location header, or the code given', async () => {
    const temporary = await respond({ respondWith: 'redirect', redirectURL: 'https://example.com/next' });
    expect(temporary.responses).toEqual([{ statusCode: 307, headers: { location: 'https://example.com/next' }, body: undefined }]);
    const permanent = await respond({ respondWith: 'redirect', redirectURL: 'https://example.com/moved', options: { responseCode: 301 } });
    expect(permanent.responses).toEqual([{ statusCode: 301, headers: { location: 'https://example.com/moved' }, body: undefined }]);
  });

  it('uses the response code option and lower-cased response headers (entries without a name are skipped)', async () => {
    const { responses } = await respond({
      respondWith: 'firstIncomingItem',
      options: {
        responseCode: '201',
        responseHeaders: {
          entries: [
            { name: 'X-Request-Id', value: 'abc' },
            { name: 'X-Count', value: 3 },
            { name: '', value: 'ignored' },
            { name: 'X-Empty' },
          ],
        },
      },
    });
    expect(responses).toEqual([
      { statusCode: 201, headers: { 'x-request-id': 'abc', 'x-count': '3', 'x-empty': '' }, body: { id: 1, name: 'first' } },
    ]);
  });

  it('rejects respond modes this server does not support', async () => {
    const { error, responses } = await rejection({ respondWith: 'jwt' });
    expect(error.message).toBe('Responding with "jwt" is not supported by this server');
    expect(responses).toEqual([]);
  });

  it('answers with the first item’s file, named or the first one it has', async () => {
    const file = { data: Buffer.from('%PDF-1.4').toString('base64'), mimeType: 'application/pdf', fileName: 'a.pdf' };
    const other = { data: Buffer.from('x').toString('base64'), mimeType: 'text/plain' };
    const auto = await runNode(respondToWebhookNode, {
      parameters: { respondWith: 'binary' },
      items: [{ json: {}, binary: { report: file, extra: other } }],
    });
    expect(auto.ctx.responses).toEqual([{ statusCode: 200, headers: {}, body: undefined, binary: file }]);
    const named = await runNode(respondToWebhookNode, {
      parameters: { respondWith: 'binary', responseDataSource: 'set', inputFieldName: 'extra' },
      items: [{ json: {}, binary: { report: file, extra: other } }],
    });
    expect(named.ctx.responses[0]?.binary).toEqual(other);
    const { error } = await rejection({ respondWith: 'binary', responseDataSource: 'set', inputFieldName: 'missing' });
    expect(error.message).toBe(
      "This operation expects the node's input data to contain a binary file 'missing', but none was found [item 0]",
    );
  });
});
