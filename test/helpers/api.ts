import type { InjectOptions } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from './test-app.ts';

/** A request under /api/v1 with the app's owner key (the body only when given). */
export function api(app: TestApp, method: InjectOptions['method'], url: string, payload?: unknown) {
  return app.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { 'x-n8n-api-key': app.ownerKey },
    ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
  });
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` naming `what`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** POST /workflows, expecting 200; the new workflow's id. */
export async function createWorkflow(app: TestApp, body: unknown): Promise<string> {
  const res = await api(app, 'POST', '/workflows', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id;
}
