import type { FastifySchemaValidationError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatValidationError } from './validation-message.ts';

/** The same mapping fastify-type-provider-zod's createValidationError applies (it is not exported by the package). */
function toFastifyIssues(error: z.ZodError): FastifySchemaValidationError[] {
  return error.issues.map((issue) => {
    const { path, code, message, ...params } = issue;
    return {
      keyword: code,
      instancePath: `/${path.join('/')}`,
      schemaPath: `#/${path.join('/')}/${code}`,
      message,
      params,
    };
  });
}

/** Validates `value` with `schema` and returns the issues as the route's error handler would receive them. */
function issuesOf(schema: z.ZodType, value: unknown): FastifySchemaValidationError[] {
  const result = schema.safeParse(value);
  if (result.success) expect.fail(`expected ${JSON.stringify(value)} to be invalid`);
  return toFastifyIssues(result.error);
}

const WorkflowBody = z.object({
  name: z.string(),
  nodes: z.array(z.object({ name: z.string(), type: z.string() })).optional(),
  settings: z.strictObject({ timezone: z.string().optional(), saveManualExecutions: z.boolean().optional() }).optional(),
});

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(250).optional(),
  cursor: z.string().optional(),
});

const IdParams = z.object({ id: z.string().regex(/^[0-9A-Za-z]+$/, 'must be an id') });

describe('formatValidationError with issues produced by zod', () => {
  it('names a missing required body property the way n8n does', () => {
    expect(formatValidationError('body', issuesOf(WorkflowBody, {}))).toBe("request/body must have required property 'name'");
  });

  it('names a missing required property of a nested object by its parent path', () => {
    const issues = issuesOf(WorkflowBody, { name: 'x', nodes: [{ name: 'a', type: 't' }, { type: 't' }] });
    expect(formatValidationError('body', issues)).toBe("request/body/nodes/1 must have required property 'name'");
  });

  it('names the node of a problem inside nodes/<i>, or its type and index when it has no name', () => {
    const body = { name: 'x', nodes: [{ name: 'First', type: 't' }, { type: 'n8n-nodes-base.set' }] };
    expect(formatValidationError('body', issuesOf(WorkflowBody, body), body)).toBe(
      "request/body/nodes/1 must have required property 'name' (the n8n-nodes-base.set node at index 1: every node needs a unique name)",
    );
    const typed = { name: 'x', nodes: [{ name: 'First', type: 5 }] };
    expect(formatValidationError('body', issuesOf(WorkflowBody, typed), typed)).toMatch(
      /^request\/body\/nodes\/0\/type .* \(node "First"\)$/,
    );
  });

  it('lists an unknown key of a strict nested object', () => {
    const issues = issuesOf(WorkflowBody, { name: 'x', settings: { bogus: true } });
    expect(formatValidationError('body', issues)).toBe("request/body/settings Unrecognized key(s) in object: 'bogus'");
  });

  it('lists every unknown key of the object', () => {
    const issues = issuesOf(WorkflowBody, { name: 'x', settings: { bogus: true, other: 1 } });
    expect(formatValidationError('body', issues)).toBe("request/body/settings Unrecognized key(s) in object: 'bogus', 'other'");
  });

  it('reports unknown keys at the top of the body', () => {
    const issues = issuesOf(z.strictObject({ name: z.string() }), { name: 'x', extra: 1 });
    expect(formatValidationError('body', issues)).toBe("request/body Unrecognized key(s) in object: 'extra'");
  });

  it('says the body is required when it is missing entirely', () => {
    expect(formatValidationError('body', issuesOf(WorkflowBody, undefined))).toBe('request/body is required');
  });

  it('maps the querystring context to request/query and names the parameter of a type error', () => {
    const message = formatValidationError('querystring', issuesOf(ListQuery, { limit: 'abc' }));
    expect(message.startsWith('request/query/limit ')).toBe(true);
    expect(message).toBe('request/query/limit Invalid input: expected number, received NaN');
  });

  it('passes zod range messages through after the path', () => {
    const message = formatValidationError('querystring', issuesOf(ListQuery, { limit: '500' }));
    expect(message.startsWith('request/query/limit ')).toBe(true);
    expect(message).toContain('250');
  });

  it('reports a type error on a present property at that property, not as a missing one', () => {
    const message = formatValidationError('body', issuesOf(WorkflowBody, { name: 42 }));
    expect(message).toBe('request/body/name Invalid input: expected string, received number');
  });

  it('reports null for a required property as a type error, not as a missing property', () => {
    const message = formatValidationError('body', issuesOf(WorkflowBody, { name: null }));
    expect(message).toBe('request/body/name Invalid input: expected string, received null');
  });

  it('uses custom messages of params schemas', () => {
    expect(formatValidationError('params', issuesOf(IdParams, { id: 'a-b' }))).toBe('request/params/id must be an id');
  });

  it('reports a body of the wrong type at the body itself', () => {
    expect(formatValidationError('body', issuesOf(WorkflowBody, 'text'))).toBe(
      'request/body Invalid input: expected object, received string',
    );
  });

  it('puts only the first issue in the message', () => {
    const issues = issuesOf(WorkflowBody, { settings: { bogus: true } });
    expect(issues).toHaveLength(2);
    expect(formatValidationError('body', issues)).toBe("request/body must have required property 'name'");
    expect(formatValidationError('body', issues.slice(1))).toBe("request/body/settings Unrecognized key(s) in object: 'bogus'");
  });
});

describe('a typo of a required key', () => {
  const Workflow = z.strictObject({ name: z.string(), nodes: z.array(z.unknown()), settings: z.strictObject({ timezone: z.string() }) });

  it('names the unknown key beside the missing one, and suggests it', () => {
    const issues = issuesOf(Workflow, { name: 'x', nodez: [], settings: { timezone: 'UTC' } });
    expect(formatValidationError('body', issues)).toBe(
      "request/body must have required property 'nodes'; unknown key 'nodez' (did you mean 'nodes'?)",
    );
  });

  it('suggests the nearest missing key, ignoring case, and names keys too far from any without a guess', () => {
    const issues = issuesOf(Workflow, { Name: 'x', nodse: [], settings: { timezone: 'UTC' }, extra: 1 });
    expect(formatValidationError('body', issues)).toBe(
      "request/body must have required property 'name'; unknown keys 'Name' (did you mean 'name'?), 'nodse' (did you mean 'nodes'?), 'extra'",
    );
  });

  it('works in nested objects and leaves unknown keys of other objects to details', () => {
    const issues = issuesOf(Workflow, { name: 'x', nodes: [], settings: { timzone: 'UTC' }, bogus: 1 });
    expect(formatValidationError('body', issues)).toBe(
      "request/body/settings must have required property 'timezone'; unknown key 'timzone' (did you mean 'timezone'?)",
    );
  });

  it('keeps the n8n message unchanged when nothing unknown was sent', () => {
    expect(formatValidationError('body', issuesOf(Workflow, { name: 'x', settings: { timezone: 'UTC' } }))).toBe(
      "request/body must have required property 'nodes'",
    );
  });
});

describe('formatValidationError with hand-made issues', () => {
  const issue = (overrides: Partial<FastifySchemaValidationError>): FastifySchemaValidationError => ({
    keyword: 'custom',
    instancePath: '/',
    schemaPath: '#//custom',
    message: 'is wrong',
    params: {},
    ...overrides,
  });

  it.each([
    ['body', 'request/body'],
    ['querystring', 'request/query'],
    ['params', 'request/params'],
    ['headers', 'request/headers'],
  ])('names the %s context %s', (context, prefix) => {
    expect(formatValidationError(context, [issue({ instancePath: '/x' })])).toBe(`${prefix}/x is wrong`);
  });

  it('defaults to request/body without a context', () => {
    expect(formatValidationError(undefined, [issue({ instancePath: '/x' })])).toBe('request/body/x is wrong');
  });

  it('keeps an unknown context as it is', () => {
    expect(formatValidationError('cookies', [issue({ instancePath: '/x' })])).toBe('request/cookies/x is wrong');
  });

  it('says the request part is invalid when there are no issues', () => {
    expect(formatValidationError('body', [])).toBe('request/body is invalid');
    expect(formatValidationError('querystring', [])).toBe('request/query is invalid');
  });

  it('handles an empty instancePath like the root', () => {
    expect(formatValidationError('body', [issue({ instancePath: '' })])).toBe('request/body is wrong');
  });

  it('falls back to the message for unrecognized_keys without a keys list', () => {
    expect(formatValidationError('body', [issue({ keyword: 'unrecognized_keys', instancePath: '/s', message: 'Unrecognized key' })])).toBe(
      'request/body/s Unrecognized key',
    );
  });

  it('treats only "received undefined" type errors as missing properties', () => {
    const missing = issue({ keyword: 'invalid_type', instancePath: '/a/b', message: 'Invalid input: expected string, received undefined' });
    expect(formatValidationError('body', [missing])).toBe("request/body/a must have required property 'b'");
    const wrong = issue({ keyword: 'invalid_type', instancePath: '/a/b', message: 'Invalid input: expected string, received boolean' });
    expect(formatValidationError('body', [wrong])).toBe('request/body/a/b Invalid input: expected string, received boolean');
  });
});
