import { describe, expect, it } from 'vitest';
import { docKey, keepOneCopyPerSchema } from './openapi-document.ts';
import { EXAMPLES } from './openapi-examples.ts';
import { OPERATION_DOCS } from './openapi-operations.ts';

describe('OpenAPI examples', () => {
  it.each(Object.entries(EXAMPLES))('%s is accepted by the zod schema it documents', (_name, example) => {
    const result = example.schema.safeParse(example.value);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('every operation documents each of its example statuses as a success status', () => {
    for (const [key, doc] of Object.entries(OPERATION_DOCS)) {
      for (const status of Object.keys(doc.responseExamples ?? {})) expect(Object.keys(doc.success), key).toContain(status);
      expect(doc.summary.length, key).toBeGreaterThan(5);
      expect(doc.description.length, key).toBeGreaterThan(10);
    }
  });
});

describe('docKey', () => {
  it('strips the API prefix and turns path parameters into OpenAPI templates', () => {
    expect(docKey('GET', '/api/v1/workflows/:id/versions/:versionId', '/api/v1')).toBe('GET /workflows/{id}/versions/{versionId}');
    expect(docKey('GET', '/healthz', '/api/v1')).toBe('GET /healthz');
    expect(docKey('GET', '/api/v1x/tags', '/api/v1')).toBe('GET /api/v1x/tags');
  });
});

describe('keepOneCopyPerSchema', () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const document = () => ({
    paths: {
      '/a': {
        post: {
          requestBody: { content: { 'application/json': { schema: ref('NodeInput') } } },
          responses: { 200: { content: { 'application/json': { schema: ref('Workflow') } } } },
        },
      },
    },
    components: {
      schemas: {
        Node: { type: 'object', required: ['name', 'parameters'], additionalProperties: false },
        NodeInput: { type: 'object', required: ['name'] },
        Workflow: { type: 'object', properties: { tags: { items: ref('Tag') } } },
        WorkflowInput: { type: 'object' },
        Tag: { type: 'object', required: ['id'] },
        TagInput: { type: 'object' },
        Unused: { type: 'string' },
      },
    },
  });

  it('keeps the input variant where requests use it, the output one elsewhere, and drops what nothing uses', () => {
    const doc = document();
    keepOneCopyPerSchema(doc);
    expect(doc.components.schemas).toEqual({
      Node: { type: 'object', required: ['name'] },
      Workflow: { type: 'object', properties: { tags: { items: ref('Tag') } } },
      Tag: { type: 'object', required: ['id'] },
    });
    expect(doc.paths['/a'].post.requestBody.content['application/json'].schema).toEqual(ref('Node'));
  });
});
