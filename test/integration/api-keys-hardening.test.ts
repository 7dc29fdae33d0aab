import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { buildTestApp, type TestApp, testEnv } from '../helpers/test-app.ts';

/**
 * Three attacks on API keys, each reproduced over HTTP: a key that expires minting a child that outlives it, a
 * key holding only apiKey:delete revoking a stronger key, and a key sent in the query string ending up in the
 * log in clear text.
 */

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const asKey = (key: string) => ({ 'x-n8n-api-key': key });

async function keyWithExpiry(scopes: string[], expiresAt: Date) {
  return (await t.app.services.apiKeys.create({ label: 'expiring parent', scopes, expiresAt })).key;
}

function createViaApi(key: string, body: object) {
  return t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: asKey(key), payload: body });
}

/** The id of the key whose secret is `key` (the listing shows only the last characters). */
async function idOf(key: string): Promise<string> {
  const rows = (await t.app.inject({ url: '/api/v1/api-keys?limit=250', headers: asKey(t.ownerKey) })).json().data;
  return rows.find((k: { keyHint: string }) => k.keyHint.endsWith(key.slice(-4))).id;
}

function revokeViaApi(key: string, id: string) {
  return t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: asKey(key) });
}

describe('a key that expires cannot create a key that outlives it', () => {
  const inOneHour = () => new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);

  it('gives a child created without expiresAt the parent’s expiry', async () => {
    const parentExpiry = inOneHour();
    const parent = await keyWithExpiry(['apiKey:create', 'tag:read'], parentExpiry);
    const res = await createViaApi(parent, { label: 'child', scopes: ['tag:read'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().expiresAt).toBe(parentExpiry.toISOString());
  });

  it('refuses a later expiry with a 400 that names the parent’s expiry', async () => {
    const parentExpiry = inOneHour();
    const parent = await keyWithExpiry(['apiKey:create', 'tag:read'], parentExpiry);
    const later = new Date(parentExpiry.getTime() + 1000).toISOString();
    const res = await createViaApi(parent, { label: 'child', scopes: ['tag:read'], expiresAt: later });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      message:
        `expiresAt must not be later than this key's own expiry, ${parentExpiry.toISOString()}. ` +
        'Pick an earlier time, or omit expiresAt to give the new key the same expiry.',
      details: { maxExpiresAt: parentExpiry.toISOString() },
    });
    const tooLate = await createViaApi(parent, { label: 'child', scopes: ['tag:read'], expiresAt: '2999-01-01T00:00:00Z' });
    expect(tooLate.statusCode).toBe(400);
    expect(tooLate.json().message).toContain(parentExpiry.toISOString());
  });

  it('accepts the parent’s own expiry or an earlier one', async () => {
    const parentExpiry = inOneHour();
    const parent = await keyWithExpiry(['apiKey:create', 'tag:read'], parentExpiry);
    const same = await createViaApi(parent, { label: 'same', scopes: ['tag:read'], expiresAt: parentExpiry.toISOString() });
    expect(same.statusCode, same.body).toBe(201);
    expect(same.json().expiresAt).toBe(parentExpiry.toISOString());
    const earlier = new Date(parentExpiry.getTime() - 60_000).toISOString();
    const shorter = await createViaApi(parent, { label: 'earlier', scopes: ['tag:read'], expiresAt: earlier });
    expect(shorter.statusCode, shorter.body).toBe(201);
    expect(shorter.json().expiresAt).toBe(earlier);
  });

  it('caps every generation: a child cannot give a grandchild a longer life either', async () => {
    const parentExpiry = inOneHour();
    const parent = await keyWithExpiry(['apiKey:create', 'tag:read'], parentExpiry);
    const child = (await createViaApi(parent, { label: 'child', scopes: ['apiKey:create', 'tag:read'] })).json();
    expect(child.expiresAt).toBe(parentExpiry.toISOString());
    const grandchild = await createViaApi(child.apiKey, { label: 'grandchild', scopes: ['tag:read'] });
    expect(grandchild.json().expiresAt).toBe(parentExpiry.toISOString());
    const outliving = await createViaApi(child.apiKey, { label: 'outliving', scopes: ['tag:read'], expiresAt: '2999-01-01T00:00:00Z' });
    expect(outliving.statusCode).toBe(400);
  });

  it('leaves keys created by a key without expiry without expiry', async () => {
    const res = await createViaApi(t.ownerKey, { label: 'forever', scopes: ['tag:read'] });
    expect(res.statusCode).toBe(201);
    expect(res.json().expiresAt).toBeNull();
  });

  it('the child stops working when the parent does', async () => {
    const parent = await keyWithExpiry(['apiKey:create', 'apiKey:list'], new Date(Date.now() + 1500));
    const child = (await createViaApi(parent, { label: 'child', scopes: ['apiKey:list'] })).json().apiKey;
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(child) })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(parent) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(child) })).statusCode).toBe(401);
  });
});

describe('a key can only revoke keys whose scopes it holds', () => {
  it('refuses a key holding only apiKey:delete that tries to revoke a * key, and the * key keeps working', async () => {
    const deleter = await t.createKey(['apiKey:delete']);
    const strong = await t.createKey(['*'], 'strong');
    const res = await revokeViaApi(deleter, await idOf(strong));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      message: 'Forbidden',
      code: 'FORBIDDEN',
      details: { reason: 'A key can only revoke keys whose scopes it holds itself', missingScopes: ['*'] },
    });
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(strong) })).statusCode).toBe(200);
  });

  it('names only the target’s scopes that the caller lacks', async () => {
    const deleter = await t.createKey(['apiKey:delete', 'workflow:read']);
    const target = await t.createKey(['workflow:read', 'workflow:*', 'tag:list']);
    const res = await revokeViaApi(deleter, await idOf(target));
    expect(res.statusCode).toBe(403);
    expect(res.json().details.missingScopes).toEqual(['workflow:*', 'tag:list']);
  });

  it('revokes a key whose scopes the caller covers, with a wildcard or the same scopes', async () => {
    const deleter = await t.createKey(['apiKey:delete', 'workflow:*']);
    const target = await t.createKey(['workflow:read', 'workflow:list']);
    const res = await revokeViaApi(deleter, await idOf(target));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().revokedAt).not.toBeNull();
    expect((await t.app.inject({ url: '/api/v1/workflows', headers: asKey(target) })).statusCode).toBe(401);
  });

  it('lets a key revoke itself', async () => {
    const self = await t.createKey(['apiKey:delete']);
    const res = await revokeViaApi(self, await idOf(self));
    expect(res.statusCode, res.body).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(self) })).statusCode).toBe(401);
  });

  it('checks the scopes before saying a key is already revoked, and still answers 404 for an unknown id', async () => {
    const target = await t.createKey(['*'], 'revoked strong');
    const id = await idOf(target);
    expect((await revokeViaApi(t.ownerKey, id)).statusCode).toBe(200);
    const weak = await t.createKey(['apiKey:delete']);
    expect((await revokeViaApi(weak, id)).statusCode).toBe(403);
    expect((await revokeViaApi(t.ownerKey, id)).statusCode).toBe(409);
    expect((await revokeViaApi(weak, 'doesNotExist0000')).statusCode).toBe(404);
  });

  it('the operator (CLI) can still revoke any key', async () => {
    const strong = await t.createKey(['*'], 'cli target');
    const revoked = await t.app.services.apiKeys.revoke(await idOf(strong));
    expect(revoked.revokedAt).not.toBeNull();
  });
});

describe('secrets in URLs never reach the log', () => {
  async function appWithLogs(level: string): Promise<{ app: FastifyInstance; lines: string[] }> {
    const lines: string[] = [];
    const app = await buildApp({
      config: loadConfig(testEnv(t.db.url, { LOG_LEVEL: level })),
      databaseUrl: t.db.url,
      logStream: { write: (line: string) => void lines.push(line) },
    });
    await app.ready();
    return { app, lines };
  }

  it.each(['info', 'debug', 'trace'])('refuses a key in the query string and logs no trace of it (LOG_LEVEL=%s)', async (level) => {
    const key = await t.createKey(['apiKey:list']);
    const { app, lines } = await appWithLogs(level);
    try {
      const urls = [
        `/api/v1/api-keys?X-N8N-API-KEY=${key}`,
        `/api/v1/api-keys?limit=5&api_key=${key}`,
        `/api/v1/api-keys?X%2DN8N%2DAPI%2DKEY=${key}&api_key=${key}`,
        `/api/v1/api-keys?q=${key}`,
        `/api/v1/api-keys/${key}`,
        `/nowhere/${key}?token=${key}`,
      ];
      for (const url of urls) expect((await app.inject({ url })).statusCode, url).toBeGreaterThanOrEqual(400);
      expect((await app.inject({ url: `/api/v1/api-keys?X-N8N-API-KEY=${key}` })).statusCode).toBe(401);
      const log = lines.join('\n');
      expect(log).toContain('/api/v1/api-keys?X-N8N-API-KEY=[REDACTED]');
      expect(log).toContain('/api/v1/api-keys?limit=5&api_key=[REDACTED]');
      expect(log).toContain('X%2DN8N%2DAPI%2DKEY=[REDACTED]&api_key=[REDACTED]');
      expect(log).toContain('/api/v1/api-keys/[REDACTED]');
      expect(log).not.toContain(key);
      expect(log).not.toContain(key.slice(8));
    } finally {
      await app.close();
    }
  });

  it('logs a webhook call with ?token= redacted and its other parameters as sent', async () => {
    const path = `hardening-${randomUUID().slice(0, 8)}`;
    const id = await createWorkflow(t, {
      name: 'Webhook with a token',
      nodes: [
        {
          name: 'Webhook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 0],
          webhookId: randomUUID(),
          parameters: { httpMethod: 'GET', path },
        },
      ],
      connections: {},
      settings: { executionOrder: 'v1' },
    });
    expect((await api(t, 'POST', `/workflows/${id}/activate`)).statusCode).toBe(200);
    const { app, lines } = await appWithLogs('trace');
    try {
      const secret = `s3cr3t-${randomUUID()}`;
      const res = await app.inject({ url: `/webhook/${path}?token=${secret}&customer=42` });
      expect(res.statusCode, res.body).toBe(200);
      const missing = await app.inject({ url: `/webhook/not-registered-${path}?access_token=${secret}` });
      expect(missing.statusCode).toBe(404);
      await eventually(async () => (lines.some((l) => l.includes('request completed')) ? true : undefined), 'the request log');
      const log = lines.join('\n');
      expect(log).toContain(`/webhook/${path}?token=[REDACTED]&customer=42`);
      expect(log).toContain(`/webhook/not-registered-${path}?access_token=[REDACTED]`);
      expect(log).not.toContain(secret);
    } finally {
      await app.close();
    }
  });

  it('does not log the raw bytes of a malformed request, which hold its headers (LOG_LEVEL=trace)', async () => {
    const key = await t.createKey(['apiKey:list']);
    const { app, lines } = await appWithLogs('trace');
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as net.AddressInfo;
      await new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          // A header name with a space is a parse error: Node hands Fastify the bytes it read so far.
          socket.write(`GET /api/v1/api-keys HTTP/1.1\r\nHost: x\r\nX-N8N-API-KEY: ${key}\r\nBad Header: 1\r\n\r\n`);
        });
        socket.on('data', () => {});
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
      await eventually(async () => (lines.some((l) => l.includes('client error')) ? true : undefined), 'the client error log');
      const clientErrors = lines.filter((l) => l.includes('client error')).map((l) => JSON.parse(l));
      for (const entry of clientErrors) expect(entry.err).not.toHaveProperty('rawPacket');
      const log = lines.join('\n');
      expect(log).not.toContain(key);
      expect(log).not.toContain(JSON.stringify([...Buffer.from(key.slice(8, 16))]).slice(1, -1));
    } finally {
      await app.close();
    }
  });
});
