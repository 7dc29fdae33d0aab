import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { api, eventually } from '../helpers/api.ts';
import { multipart } from '../helpers/multipart.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { activeChain, type Json, lastExecution, node, outputOf, webhookTrigger } from '../helpers/workflow-builders.ts';

/**
 * Files on items end to end: multipart and raw uploads into binary data storage, HTTP Request downloads, Respond
 * to Webhook answering with a file, the executions API showing references (not bytes), and files going with their
 * execution. Both storage modes, each on a real PostgreSQL.
 */

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200_000, 7)]);
let files: Server;
let filesUrl: string;

beforeAll(async () => {
  files = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="report.pdf"' });
    response.end(PDF);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/download`;
});
afterAll(() => new Promise((resolve) => files.close(resolve)));

const echoFile = (path: string, respond: Json = {}) => [
  webhookTrigger(path, { responseMode: 'responseNode' }),
  node('Respond', 'respondToWebhook', { respondWith: 'binary', ...respond }, 1.1),
];

describe.each(['filesystem', 'database'])('binary data in %s mode', (mode) => {
  let t: TestApp;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowgate-binary-'));
  beforeAll(async () => {
    t = await buildTestApp({ N8N_DEFAULT_BINARY_DATA_MODE: mode, N8N_BINARY_DATA_MAX_MB: '1', DATA_DIR: dataDir });
  });
  afterAll(() => t.close());

  it('stores multipart files outside the execution data, names them as n8n does and answers with one', async () => {
    const hook = `upload-${newId(6).toLowerCase()}`;
    const id = await activeChain(t, 'Upload', echoFile(hook, { responseDataSource: 'set', inputFieldName: 'doc' }));
    const form = multipart([
      { name: 'title', value: 'Quarterly' },
      { name: 'doc', fileName: 'q3.pdf', type: 'application/pdf', value: PDF },
      { name: 'pics[]', fileName: 'a.png', type: 'image/png', value: Buffer.from('png-a') },
      { name: 'pics[]', fileName: 'b.png', type: 'image/png', value: Buffer.from('png-b') },
    ]);
    const res = await t.app.inject({ method: 'POST', url: `/webhook/${hook}`, ...form });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.equals(PDF)).toBe(true);

    const execution = await eventually(() => lastExecution(t, id), 'the upload execution');
    const item = outputOf(execution, 'Webhook')[0]!;
    const binary = item.binary ?? {};
    expect(item.json.body).toEqual({ title: 'Quarterly' });
    expect(Object.keys(binary).sort()).toEqual(['doc', 'pics0', 'pics1']);
    expect(binary.doc).toEqual({
      data: mode,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      mimeType: 'application/pdf',
      fileType: 'pdf',
      fileName: 'q3.pdf',
      fileExtension: 'pdf',
      fileSize: '200 kB',
      bytes: PDF.length,
    });
    // The execution data holds the reference only, never the bytes.
    expect(JSON.stringify(execution).length).toBeLessThan(20_000);
    const { rows } = await t.app.runtime.sql.query('SELECT execution_id, size, data IS NOT NULL AS inline FROM binary_data WHERE id = $1', [
      binary.doc?.id,
    ]);
    expect(rows).toEqual([{ execution_id: Number(execution.id), size: String(PDF.length), inline: mode === 'database' }]);
    expect(existsSync(path.join(dataDir, 'binary-data', String(binary.doc?.id)))).toBe(mode === 'filesystem');
  });

  it('takes a raw body as one file, named from Content-Disposition, under the option’s property name', async () => {
    const hook = `raw-${newId(6).toLowerCase()}`;
    const id = await activeChain(t, 'Raw upload', [
      webhookTrigger(hook, { responseMode: 'responseNode', options: { binaryPropertyName: 'upload' } }),
      node('Respond', 'respondToWebhook', { respondWith: 'binary' }, 1.1),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/webhook/${hook}`,
      payload: Buffer.from('raw bytes \u0000\u0001'),
      headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="blob.bin"' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.toString()).toBe('raw bytes \u0000\u0001');
    const execution = await eventually(() => lastExecution(t, id), 'the raw upload execution');
    const item = outputOf(execution, 'Webhook')[0]!;
    expect(item.binary?.upload).toMatchObject({ fileName: 'blob.bin', mimeType: 'application/octet-stream', bytes: 12 });
  });

  it('downloads with HTTP Request into storage and answers with that file', async () => {
    const hook = `fetch-${newId(6).toLowerCase()}`;
    await activeChain(t, 'Fetch file', [
      webhookTrigger(hook, { responseMode: 'responseNode' }),
      node('Fetch', 'httpRequest', { url: filesUrl, options: { response: { response: { responseFormat: 'file' } } } }, 4.2),
      node('Respond', 'respondToWebhook', { respondWith: 'binary' }, 1.1),
    ]);
    const res = await t.app.inject({ method: 'POST', url: `/webhook/${hook}`, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-length']).toBe(String(PDF.length));
    expect(res.rawPayload.equals(PDF)).toBe(true);
  });

  it('reads an uploaded CSV with Extract from File and answers with the XLSX Convert to File made of it', async () => {
    const hook = `sheet-${newId(6).toLowerCase()}`;
    const id = await activeChain(t, 'CSV to XLSX', [
      webhookTrigger(hook, { responseMode: 'responseNode' }),
      node('Read CSV', 'extractFromFile', { binaryPropertyName: 'sheet' }),
      node('To XLSX', 'convertToFile', { operation: 'xlsx', options: { fileName: 'people.xlsx' } }, 1.1),
      node('Respond', 'respondToWebhook', { respondWith: 'binary' }, 1.1),
    ]);
    const form = multipart([{ name: 'sheet', fileName: 'people.csv', type: 'text/csv', value: 'name,age\nAda,36\nAlan,41\n' }]);
    const res = await t.app.inject({ method: 'POST', url: `/webhook/${hook}`, ...form });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const execution = await eventually(() => lastExecution(t, id), 'the CSV execution');
    expect(outputOf(execution, 'Read CSV').map((item) => item.json)).toEqual([
      { name: 'Ada', age: '36' },
      { name: 'Alan', age: '41' },
    ]);
    expect(outputOf(execution, 'To XLSX')[0]?.binary?.data).toMatchObject({ data: mode, fileName: 'people.xlsx' });
  });

  it('refuses a file over N8N_BINARY_DATA_MAX_MB with a 413 and runs nothing', async () => {
    const hook = `big-${newId(6).toLowerCase()}`;
    const id = await activeChain(t, 'Big upload', echoFile(hook));
    const form = multipart([{ name: 'doc', fileName: 'big.bin', value: Buffer.alloc(1024 * 1024 + 1) }]);
    const res = await t.app.inject({ method: 'POST', url: `/webhook/${hook}`, ...form });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('N8N_BINARY_DATA_MAX_MB') });
    const raw = await t.app.inject({
      method: 'POST',
      url: `/webhook/${hook}`,
      payload: Buffer.alloc(1024 * 1024 + 1),
      headers: { 'content-type': 'application/zip' },
    });
    expect(raw.statusCode).toBe(413);
    expect((await api(t, 'GET', `/executions?workflowId=${id}`)).json().data).toEqual([]);
  });

  it('removes the files of a deleted execution, and uploads no execution took', async () => {
    const hook = `gone-${newId(6).toLowerCase()}`;
    const id = await activeChain(t, 'Gone', echoFile(hook));
    const form = multipart([{ name: 'data', fileName: 'x.txt', type: 'text/plain', value: 'to be deleted' }]);
    expect((await t.app.inject({ method: 'POST', url: `/webhook/${hook}`, ...form })).statusCode).toBe(200);
    const execution = await eventually(() => lastExecution(t, id), 'the execution');
    const fileId = outputOf(execution, 'Webhook')[0]!.binary!.data!.id!;
    const stray = await t.app.services.binaryData!.write(null, Buffer.from('never adopted'));

    expect((await api(t, 'DELETE', `/executions/${execution.id}`)).statusCode).toBe(200);
    await t.app.services.binaryData!.sweep(Date.now() + 2 * 3_600_000);
    const { rows } = await t.app.runtime.sql.query('SELECT id FROM binary_data WHERE id = ANY($1::uuid[])', [[fileId, stray.id]]);
    expect(rows).toEqual([]);
    expect(existsSync(path.join(dataDir, 'binary-data', fileId))).toBe(false);
    expect(existsSync(path.join(dataDir, 'binary-data', stray.id))).toBe(false);
  });
});
