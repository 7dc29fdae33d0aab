import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeApiError, NodeOperationError, type NodeResult } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { PNG_BYTES, type SeenRequest, startTestServer, type TestServer } from './http-request/test-server.ts';
import { httpRequestNode } from './http-request.ts';
import { jsonOf, runNode, type TestContextOptions } from './test-support.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
});

const url = (path: string) => `${server.baseUrl}${path}`;

async function send(parameters: JsonObject, options: TestContextOptions = {}): Promise<NodeResult> {
  const { result } = await runNode(httpRequestNode, { parameters, ...options });
  return result;
}

function itemsOf(result: NodeResult): Item[] {
  if (!Array.isArray(result)) throw new Error('expected output');
  return result[0] ?? [];
}

function lastSeen(): SeenRequest {
  const request = server.seen.at(-1);
  if (!request) throw new Error('the server saw no request');
  return request;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the node to fail');
  return error;
}

describe('HTTP Request: methods and responses', () => {
  it('sends a GET by default and outputs the JSON answer, paired with the input item', async () => {
    const result = await send({ url: url('/json') });
    expect(itemsOf(result)).toEqual([{ json: { hello: 'world' }, pairedItem: { item: 0 } }]);
    expect(lastSeen().method).toBe('GET');
    expect(lastSeen().headers['user-agent']).toBe('n8n');
  });

  it('sends the configured method', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      await send({ method, url: url('/json') });
      expect(lastSeen().method).toBe(method);
    }
  });

  it('splits a JSON array into one item per element, all paired with the input item', async () => {
    const result = await send({ url: url('/array') }, { items: [{ json: {} }] });
    expect(itemsOf(result)).toEqual([
      { json: { id: 1 }, pairedItem: { item: 0 } },
      { json: { id: 2 }, pairedItem: { item: 0 } },
      { json: { id: 3 }, pairedItem: { item: 0 } },
    ]);
  });

  it('keeps JSON primitives in an array under data', async () => {
    expect(jsonOf(await send({ url: url('/primitives') }))).toEqual([{ data: 1 }, { data: 'two' }, {}]);
  });

  it('outputs text as { data }', async () => {
    expect(jsonOf(await send({ url: url('/text') }))).toEqual([{ data: 'plain text' }]);
  });

  it('falls back to text when auto-detected JSON is not JSON, and fails when JSON was required', async () => {
    expect(jsonOf(await send({ url: url('/not-json') }))).toEqual([{ data: 'this is not json' }]);
    const error = await failureOf(send({ url: url('/not-json'), options: { response: { response: { responseFormat: 'json' } } } }));
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toBe('Response body is not valid JSON. Change "Response Format" to "Text"');
  });

  it('reads a JSON answer as text when asked', async () => {
    const result = await send({ url: url('/json'), options: { response: { response: { responseFormat: 'text' } } } });
    expect(jsonOf(result)).toEqual([{ data: '{"hello":"world"}' }]);
  });

  it('outputs files as binary data, keeping the input json', async () => {
    const result = await send({ url: url('/files/logo.png') }, { items: [{ json: { keep: true } }] });
    expect(itemsOf(result)).toEqual([
      {
        json: { keep: true },
        binary: {
          data: {
            data: PNG_BYTES.toString('base64'),
            mimeType: 'image/png',
            fileName: 'logo.png',
            fileType: 'image',
            fileExtension: 'png',
            fileSize: '16 B',
            bytes: 16,
          },
        },
        pairedItem: { item: 0 },
      },
    ]);
  });

  it('names a downloaded file from Content-Disposition, under the chosen property', async () => {
    const result = await send({
      url: url('/download'),
      options: { response: { response: { responseFormat: 'file', outputPropertyName: 'report' } } },
    });
    const binary = itemsOf(result)[0]?.binary?.report;
    expect(binary).toMatchObject({ fileName: 'report.pdf', mimeType: 'application/pdf', data: Buffer.from('%PDF-1.4').toString('base64') });
  });

  it('returns the full response when asked', async () => {
    const result = await send({ url: url('/json'), options: { response: { response: { fullResponse: true } } } });
    const [json] = jsonOf(result);
    expect(json).toMatchObject({ body: { hello: 'world' }, statusCode: 200, statusMessage: 'OK' });
    expect(json?.headers).toMatchObject({ 'x-custom': 'yes', 'content-type': 'application/json; charset=utf-8' });
  });

  it('decompresses gzip answers', async () => {
    expect(jsonOf(await send({ url: url('/gzip') }))).toEqual([{ compressed: true }]);
  });

  it('outputs an empty item for an empty answer', async () => {
    expect(jsonOf(await send({ url: url('/empty') }))).toEqual([{}]);
  });

  it('sends one request per input item, with that item’s parameters', async () => {
    const items = [{ json: { id: 'a' } }, { json: { id: 'b' } }];
    const result = await send(
      { url: '={{ the echo url for this item }}' },
      { items, evaluate: (_expression, itemIndex) => url(`/echo?id=${items[itemIndex]?.json.id}`) },
    );
    expect(server.seen.map((request) => request.url)).toEqual(['/echo?id=a', '/echo?id=b']);
    expect(itemsOf(result).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(send({ url: 'ftp://example.com/file' })).rejects.toThrow(
      'Invalid URL: ftp://example.com/file. URL must start with "http" or "https".',
    );
  });
});

describe('HTTP Request: query, headers and body', () => {
  it('adds query parameters from fields, keeping the URL’s own', async () => {
    await send({
      url: url('/echo?fixed=1'),
      sendQuery: true,
      queryParameters: {
        parameters: [
          { name: 'q', value: 'a b' },
          { name: 'page', value: 2 },
        ],
      },
    });
    expect(lastSeen().url).toBe('/echo?fixed=1&q=a+b&page=2');
  });

  it('adds query parameters from JSON, repeating array values', async () => {
    await send({ url: url('/echo'), sendQuery: true, specifyQuery: 'json', jsonQuery: '{"tag": ["x", "y"], "n": 1}' });
    expect(lastSeen().url).toBe('/echo?tag=x&tag=y&n=1');
  });

  it('sends headers from fields and from JSON', async () => {
    await send({ url: url('/echo'), sendHeaders: true, headerParameters: { parameters: [{ name: 'X-Trace', value: 'abc' }] } });
    expect(lastSeen().headers['x-trace']).toBe('abc');
    await send({ url: url('/echo'), sendHeaders: true, specifyHeaders: 'json', jsonHeaders: '{"X-From-Json": "yes"}' });
    expect(lastSeen().headers['x-from-json']).toBe('yes');
  });

  it('sends a JSON body from fields', async () => {
    await send({
      method: 'POST',
      url: url('/echo'),
      sendBody: true,
      bodyParameters: {
        parameters: [
          { name: 'name', value: 'Ada' },
          { name: 'age', value: 36 },
        ],
      },
    });
    expect(lastSeen().headers['content-type']).toBe('application/json');
    expect(JSON.parse(lastSeen().body)).toEqual({ name: 'Ada', age: 36 });
  });

  it('sends a JSON body given as JSON text or as a value', async () => {
    await send({ method: 'POST', url: url('/echo'), sendBody: true, specifyBody: 'json', jsonBody: '{"list": [1, 2]}' });
    expect(JSON.parse(lastSeen().body)).toEqual({ list: [1, 2] });
    await send({ method: 'POST', url: url('/echo'), sendBody: true, specifyBody: 'json', jsonBody: { nested: { ok: true } } });
    expect(JSON.parse(lastSeen().body)).toEqual({ nested: { ok: true } });
  });

  it('fails on a JSON body that is not JSON', async () => {
    await expect(send({ method: 'POST', url: url('/echo'), sendBody: true, specifyBody: 'json', jsonBody: '{oops' })).rejects.toThrow(
      'JSON parameter needs to be valid JSON',
    );
  });

  it('sends a form-urlencoded body', async () => {
    await send({
      method: 'POST',
      url: url('/echo'),
      sendBody: true,
      contentType: 'form-urlencoded',
      bodyParameters: {
        parameters: [
          { name: 'a', value: '1 2' },
          { name: 'b', value: 'x&y' },
        ],
      },
    });
    expect(lastSeen().headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(lastSeen().body).toBe('a=1+2&b=x%26y');
  });

  it('sends a multipart body with a field and a file from the input item', async () => {
    await send(
      {
        method: 'POST',
        url: url('/echo'),
        sendBody: true,
        contentType: 'multipart-form-data',
        bodyParameters: {
          parameters: [
            { name: 'title', value: 'hello' },
            { name: 'upload', parameterType: 'formBinaryData', inputDataFieldName: 'file' },
          ],
        },
      },
      {
        items: [
          { json: {}, binary: { file: { data: Buffer.from('file body').toString('base64'), mimeType: 'text/plain', fileName: 'a.txt' } } },
        ],
      },
    );
    const { headers, body } = lastSeen();
    expect(headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(body).toContain('name="title"\r\n\r\nhello');
    expect(body).toContain('name="upload"; filename="a.txt"');
    expect(body).toContain('file body');
  });

  it('sends a raw body with its content type', async () => {
    await send({ method: 'POST', url: url('/echo'), sendBody: true, contentType: 'raw', rawContentType: 'text/csv', body: 'a,b\n1,2' });
    expect(lastSeen().headers['content-type']).toBe('text/csv');
    expect(lastSeen().body).toBe('a,b\n1,2');
  });
});

describe('HTTP Request: credentials', () => {
  const auth = (genericAuthType: string) => ({ url: url('/echo'), authentication: 'genericCredentialType', genericAuthType });

  it('basic auth', async () => {
    await send(auth('httpBasicAuth'), { credentials: { httpBasicAuth: { user: 'ada', password: 's3cret' } } });
    expect(lastSeen().headers.authorization).toBe(`Basic ${Buffer.from('ada:s3cret').toString('base64')}`);
  });

  it('header auth', async () => {
    await send(auth('httpHeaderAuth'), { credentials: { httpHeaderAuth: { name: 'X-API-Key', value: 'key-1' } } });
    expect(lastSeen().headers['x-api-key']).toBe('key-1');
  });

  it('query auth', async () => {
    await send(auth('httpQueryAuth'), { credentials: { httpQueryAuth: { name: 'api_key', value: 'key 2' } } });
    expect(lastSeen().url).toBe('/echo?api_key=key+2');
  });

  it('bearer auth', async () => {
    await send(auth('httpBearerAuth'), { credentials: { httpBearerAuth: { token: 'tok-3' } } });
    expect(lastSeen().headers.authorization).toBe('Bearer tok-3');
  });

  it('credentials win over a header of the same name set by hand', async () => {
    await send(
      { ...auth('httpBearerAuth'), sendHeaders: true, headerParameters: { parameters: [{ name: 'Authorization', value: 'mine' }] } },
      { credentials: { httpBearerAuth: { token: 'tok-4' } } },
    );
    expect(lastSeen().headers.authorization).toBe('Bearer tok-4');
  });

  it('applies a predefined credential type’s own rule (nodeCredentialType), as n8n’s authenticate blocks do', async () => {
    const predefined = (nodeCredentialType: string) => ({
      url: url('/echo'),
      authentication: 'predefinedCredentialType',
      nodeCredentialType,
    });
    await send(predefined('githubApi'), { credentials: { githubApi: { accessToken: 'gh-1' } } });
    expect(lastSeen().headers.authorization).toBe('token gh-1');
    await send(predefined('anthropicApi'), { credentials: { anthropicApi: { apiKey: 'sk-ant' } } });
    expect(lastSeen().headers).toMatchObject({ 'x-api-key': 'sk-ant', 'anthropic-version': '2023-06-01' });
    await send(predefined('twilioApi'), { credentials: { twilioApi: { accountSid: 'AC1', authToken: 'tok' } } });
    expect(lastSeen().headers.authorization).toBe(`Basic ${Buffer.from('AC1:tok').toString('base64')}`);
    await send(predefined('httpHeaderAuth'), { credentials: { httpHeaderAuth: { name: 'X-Key', value: 'k' } } });
    expect(lastSeen().headers['x-key']).toBe('k');
    await expect(send(predefined('googleSheetsOAuth2Api'), { credentials: {} })).rejects.toThrow(
      'Credential type "googleSheetsOAuth2Api" is not supported by this server',
    );
  });

  it('fails without the credential, and on auth types it cannot apply', async () => {
    await expect(send(auth('httpBasicAuth'))).rejects.toThrow('does not have any credentials of type "httpBasicAuth"');
    await expect(send(auth('oAuth1Api'), { credentials: { oAuth1Api: {} } })).rejects.toThrow(
      'Generic auth type "oAuth1Api" is not supported',
    );
    // An OAuth2 credential that was never connected says how to connect it (and sends nothing).
    await expect(send(auth('oAuth2Api'), { credentials: { oAuth2Api: {} } })).rejects.toThrow('The OAuth2 credential is not connected');
    expect(server.seen).toEqual([]);
  });
});

describe('HTTP Request: failures', () => {
  it('fails on 404 with n8n’s message, status code and the answer', async () => {
    const error = await failureOf(send({ url: url('/status/404') }));
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toBe('The resource you are requesting could not be found');
    expect((error as NodeApiError).httpCode).toBe('404');
    expect((error as NodeApiError).description).toBe('404 - "{\\"error\\":\\"nope\\"}"');
  });

  it('uses the generic 4XX and 5XX messages for other codes', async () => {
    expect((await failureOf(send({ url: url('/status/418') }))).message).toBe(
      'Your request is invalid or could not be processed by the service',
    );
    expect((await failureOf(send({ url: url('/status/500') }))).message).toBe('The service was not able to process your request');
    expect((await failureOf(send({ url: url('/status/599') }))).message).toBe('The service failed to process your request');
  });

  it('outputs the answer of a failed request with neverError', async () => {
    const result = await send({ url: url('/status/500'), options: { response: { response: { neverError: true } } } });
    expect(jsonOf(result)).toEqual([{ error: 'nope' }]);
  });

  it('follows redirects by default, and not when told', async () => {
    expect(jsonOf(await send({ url: url('/redirect') }))).toEqual([{ hello: 'world' }]);
    const noFollow = { url: url('/redirect'), options: { redirect: { redirect: { followRedirects: false } } } };
    const error = await failureOf(send(noFollow));
    expect((error as NodeApiError).httpCode).toBe('302');
    const result = await send({
      ...noFollow,
      options: { ...noFollow.options, response: { response: { neverError: true, fullResponse: true } } },
    });
    expect(jsonOf(result)[0]).toMatchObject({ statusCode: 302, headers: { location: '/json' } });
  });

  it('reports a refused connection in n8n’s words', async () => {
    const error = await failureOf(send({ url: 'http://127.0.0.1:1/' }));
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toBe('The service refused the connection - perhaps it is offline');
  });

  it('gives up after options.timeout', async () => {
    const started = Date.now();
    const error = await failureOf(send({ url: url('/slow'), options: { timeout: 200 } }));
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toBe('The request timed out after 200 ms');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('cancels an in-flight request when the execution is stopped', async () => {
    const controller = new AbortController();
    const reason = new Error('The execution was cancelled manually');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    const error = await failureOf(send({ url: url('/slow') }, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lastSeen().url).toBe('/slow');
  });
});

describe('HTTP Request: batching', () => {
  it('pauses between batches through ctx.sleep', async () => {
    const items = [{ json: {} }, { json: {} }, { json: {} }, { json: {} }, { json: {} }];
    const { ctx } = await runNode(httpRequestNode, {
      parameters: { url: url('/json'), options: { batching: { batch: { batchSize: 2, batchInterval: 250 } } } },
      items,
    });
    expect(ctx.sleeps).toEqual([250, 250]);
    expect(server.seen).toHaveLength(5);
  });
});
