import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema, IdParamsSchema } from '../../lib/schemas.ts';
import {
  CreateCredentialBodySchema,
  CredentialListSchema,
  CredentialSchema,
  CredentialTypeParamsSchema,
  DeletedCredentialSchema,
  ListCredentialsQuerySchema,
  TransferCredentialBodySchema,
  toCredentialDto,
  UpdateCredentialBodySchema,
} from './credentials.schemas.ts';

const TAGS = ['Credential'];

/** Credentials: metadata in and out, data only in. No response, error or log line carries credential data. */
export const credentialsRoutes: FastifyPluginAsyncZod = async (app) => {
  const credentials = app.services.credentials;

  app.post(
    '/credentials',
    {
      config: { scopes: ['credential:create'] },
      schema: {
        operationId: 'createCredential',
        summary: 'Create a credential (its data is encrypted, never returned)',
        tags: TAGS,
        body: CreateCredentialBodySchema,
        response: { 200: CredentialSchema },
      },
    },
    async (request) => toCredentialDto(await credentials.create(request.body, request.grant!)),
  );

  app.get(
    '/credentials',
    {
      config: { scopes: ['credential:list'] },
      schema: {
        operationId: 'listCredentials',
        summary: 'List credentials (metadata only)',
        tags: TAGS,
        querystring: ListCredentialsQuerySchema,
        response: { 200: CredentialListSchema },
      },
    },
    async (request) => {
      const page = await credentials.list(request.query, request.grant!);
      return {
        data: page.data.map((c) => ({
          id: c.id,
          name: c.name,
          type: c.type,
          createdAt: c.createdAt.toISOString(),
          updatedAt: c.updatedAt.toISOString(),
          shared: [
            {
              id: c.project.id,
              name: c.project.name,
              role: 'credential:owner',
              createdAt: c.createdAt.toISOString(),
              updatedAt: c.createdAt.toISOString(),
            },
          ],
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/credentials/:id',
    {
      config: { scopes: ['credential:read'] },
      schema: {
        operationId: 'getCredential',
        summary: 'Get a credential’s metadata',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 200: CredentialSchema },
      },
    },
    async (request) => toCredentialDto(await credentials.get(request.params.id, request.grant!)),
  );

  app.patch(
    '/credentials/:id',
    {
      config: { scopes: ['credential:update'] },
      schema: {
        operationId: 'updateCredential',
        summary: 'Rename a credential and/or change its data (merged key by key unless replaceData is true)',
        tags: TAGS,
        params: IdParamsSchema,
        body: UpdateCredentialBodySchema,
        response: { 200: CredentialSchema },
      },
    },
    async (request) => {
      const { replaceData, isPartialData, ...rest } = request.body;
      // n8n's isPartialData: false means "this is the whole data".
      const replace = replaceData || isPartialData === false;
      return toCredentialDto(await credentials.update(request.params.id, { ...rest, replaceData: replace }, request.grant!));
    },
  );

  app.delete(
    '/credentials/:id',
    {
      config: { scopes: ['credential:delete'] },
      schema: {
        operationId: 'deleteCredential',
        summary: 'Delete a credential; the answer lists workflows that still use it',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 200: DeletedCredentialSchema },
      },
    },
    async (request) => {
      const { credential, usedBy, warnings } = await credentials.delete(request.params.id, request.grant!);
      if (usedBy.length)
        request.log.warn({ credentialId: credential.id, workflows: usedBy.map((w) => w.id) }, 'deleted a credential that workflows use');
      return { ...toCredentialDto(credential), usageScope: 'project', usedBy, warnings };
    },
  );

  app.put(
    '/credentials/:id/transfer',
    {
      config: { scopes: ['credential:move'] },
      schema: {
        operationId: 'transferCredential',
        summary: 'Move a credential to another project',
        tags: TAGS,
        params: IdParamsSchema,
        body: TransferCredentialBodySchema,
        response: { 204: z.null().describe('Transferred') },
      },
    },
    async (request, reply) => {
      await credentials.transfer(request.params.id, request.body.destinationProjectId, request.grant!);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/credentials/schema/:credentialTypeName',
    {
      // n8n 2.39 asks for a valid key and no scope here (x-required-scope: none).
      config: { anyKey: true },
      schema: {
        operationId: 'getCredentialTypeSchema',
        summary: 'The JSON Schema a credential type’s data must satisfy (secrets are writeOnly)',
        tags: TAGS,
        params: CredentialTypeParamsSchema,
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request) => credentials.schemaOf(request.params.credentialTypeName),
  );

  app.post(
    '/credentials/:id/oauth2/authorize',
    {
      config: { scopes: ['credential:update'] },
      schema: {
        operationId: 'authorizeOAuth2Credential',
        summary: 'Start connecting an OAuth2 credential: the provider URL to open',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 200: z.object({ authorizationUrl: z.string(), redirectUri: z.string() }), 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => credentials.oauth2AuthorizationUrl(request.params.id, request.grant!),
  );

  app.post(
    '/credentials/:id/test',
    {
      config: { scopes: ['credential:read'] },
      schema: {
        operationId: 'testCredential',
        summary: 'Run the credential type’s own test with the stored data',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 200: z.object({ status: z.enum(['OK', 'Error']), message: z.string() }), 404: ErrorSchema },
      },
    },
    async (request) => credentials.test(request.params.id, request.grant!),
  );
};
