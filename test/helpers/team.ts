import { expect } from 'vitest';
import type { TestApp } from './test-app.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read deep in these tests; a wrong shape fails the assertion.
export type Json = Record<string, any>;

/** One API call as a key makes it, with the status and the parsed body. */
export async function call(t: TestApp, method: string, url: string, key: string, payload?: unknown) {
  const res = await t.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { 'x-n8n-api-key': key },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return { status: res.statusCode, body: (res.body ? res.json() : null) as Json, text: res.body };
}

export const uniqueEmail = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/** Invites a user with the owner's key and answers them. */
export async function invite(t: TestApp, address: string, role?: string) {
  const res = await call(t, 'POST', '/users', t.ownerKey, [{ email: address, ...(role ? { role } : {}) }]);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body[0].user as { id: string; email: string; role: string };
}

/** A key of that user (as the CLI makes one). */
export const keyFor = async (t: TestApp, address: string, scopes: string[]) =>
  (await t.app.services.apiKeys.create({ label: address, scopes, userEmail: address })).key;

/**
 * The key scopes a member may hold from their personal project alone: everything about workflows, executions,
 * credentials and folders, and the global member's tags, users and variables to read.
 */
export const MEMBER_KEY_SCOPES = [
  'workflow:*',
  'workflowTags:*',
  'execution:*',
  'executionTags:*',
  'credential:*',
  'folder:*',
  'project:list',
  'tag:list',
  'tag:read',
  'tag:create',
  'user:list',
  'variable:list',
  'variable:read',
];

/** A new user with a key: `*` for an admin, MEMBER_KEY_SCOPES plus `extraScopes` for a member. */
export async function userWithKey(t: TestApp, name: string, options: { role?: string; extraScopes?: string[] } = {}) {
  const address = uniqueEmail(name);
  const user = await invite(t, address, options.role);
  const scopes = options.role === 'global:admin' ? ['*'] : [...MEMBER_KEY_SCOPES, ...(options.extraScopes ?? [])];
  return { ...user, key: await keyFor(t, address, scopes) };
}
