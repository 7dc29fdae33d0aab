import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, userWithKey } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let fake: Server;
let base = '';
const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];

/** GitHub's, OpenAI's and Telegram's test endpoints, answering as those services do for a good and a bad token. */
function answer(req: IncomingMessage, res: ServerResponse) {
  seen.push({ url: req.url ?? '', headers: req.headers });
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const auth = req.headers.authorization ?? '';
  if (req.url === '/github/user')
    return auth === 'token good' ? json(200, { login: 'octocat' }) : json(401, { message: 'Bad credentials' });
  if (req.url === '/openai/v1/models') {
    return auth === 'Bearer sk-good'
      ? json(200, { object: 'list', data: [] })
      : json(401, { error: { message: 'Incorrect API key provided' } });
  }
  if (req.url?.startsWith('/telegram/bot')) {
    return req.url === '/telegram/bot123:good/getMe'
      ? json(200, { ok: true, result: {} })
      : json(401, { ok: false, description: 'Unauthorized' });
  }
  json(404, { message: 'Not Found' });
}

beforeAll(async () => {
  t = await buildTestApp();
  fake = createServer(answer);
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => fake.close(resolve));
});

async function testOf(type: string, data: Json, key = t.ownerKey) {
  const created = await call(t, 'POST', '/credentials', t.ownerKey, { name: `${type} test`, type, data });
  expect(created.status, created.text).toBe(200);
  const res = await call(t, 'POST', `/credentials/${created.body.id}/test`, key);
  return { status: res.status, body: res.body, id: created.body.id as string };
}

describe('POST /credentials/:id/test', () => {
  it('runs GitHub’s, OpenAI’s and Telegram’s own test requests, answering OK or the service’s refusal', async () => {
    expect((await testOf('githubApi', { server: `${base}/github`, accessToken: 'good' })).body).toEqual({
      status: 'OK',
      message: 'Connection successful!',
    });
    const badGithub = await testOf('githubApi', { server: `${base}/github`, accessToken: 'wrong' });
    expect(badGithub.status).toBe(200);
    expect(badGithub.body).toEqual({
      status: 'Error',
      message: 'Authorization failed - please check your credentials (401: Bad credentials)',
    });
    expect(seen.at(-1)?.headers.authorization).toBe('token wrong');

    expect((await testOf('openAiApi', { url: `${base}/openai/v1`, apiKey: 'sk-good', organizationId: 'org-1' })).body.status).toBe('OK');
    expect(seen.at(-1)?.headers['openai-organization']).toBe('org-1');
    const badOpenAi = await testOf('openAiApi', { url: `${base}/openai/v1`, apiKey: 'sk-bad' });
    expect(badOpenAi.body.message).toContain('Incorrect API key provided');

    expect((await testOf('telegramApi', { baseUrl: `${base}/telegram`, accessToken: '123:good' })).body.status).toBe('OK');
    const badTelegram = await testOf('telegramApi', { baseUrl: `${base}/telegram`, accessToken: '123:leaked-token' });
    expect(badTelegram.body.status).toBe('Error');
    expect(JSON.stringify(badTelegram.body)).not.toContain('leaked-token');
  });

  it('connects to a real PostgreSQL with a postgres credential, and names what went wrong', async () => {
    // The test run's PostgreSQL is this server's own database, which the address policy refuses; the documented
    // allowance opens it for a second server.
    const url = new URL(t.db.url);
    const allowed = await buildTestApp({ N8N_SSRF_ALLOWED_HOSTNAMES: `${url.hostname}:${url.port}` }, t.db);
    try {
      const data = {
        host: url.hostname,
        port: Number(url.port),
        database: url.pathname.slice(1),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password) || 'unused',
      };
      const run = async (payload: Json) => {
        const created = await call(allowed, 'POST', '/credentials', allowed.ownerKey, { name: 'pg', type: 'postgres', data: payload });
        return (await call(allowed, 'POST', `/credentials/${created.body.id}/test`, allowed.ownerKey)).body;
      };
      expect(await run(data)).toEqual({ status: 'OK', message: 'Connection successful!' });
      const wrongDatabase = await run({ ...data, database: 'no_such_database_here' });
      expect(wrongDatabase.status).toBe('Error');
      expect(wrongDatabase.message).toContain('no_such_database_here');
    } finally {
      await allowed.close();
    }
  });

  it('keeps to the address policy, answers n8n’s words for a type without a test, and 404 for a hidden credential', async () => {
    // The server's own database is internal: no credential test may reach it.
    const own = new URL(t.db.url);
    const internal = await testOf('postgres', { host: own.hostname, port: Number(own.port), database: 'x', user: 'x', password: 'x' });
    expect(internal.body.status).toBe('Error');
    expect(internal.body.message).toMatch(/this server's PostgreSQL \(DATABASE_URL\)/);
    const untested = await testOf('httpBearerAuth', { token: 'x' });
    expect(untested.body).toEqual({ status: 'Error', message: 'No testing function found for this credential.' });
    const outsider = await userWithKey(t, 'cred-tester');
    expect((await call(t, 'POST', `/credentials/${untested.id}/test`, outsider.key)).status).toBe(404);
  });
});
