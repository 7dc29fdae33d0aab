import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config/env.ts';
import { createDatabaseClients, type PrismaClient } from '../db/client.ts';
import { type ApiKeysService, createApiKeysService } from '../modules/api-keys/api-keys.service.ts';
import { type CredentialsService, createCredentialsService } from '../modules/credentials/credentials.service.ts';
import { loadEncryptionKey } from '../modules/credentials/encryption-key.ts';
import { createTagsService, type TagsService } from '../modules/tags/tags.service.ts';
import { createWorkflowsService, type WorkflowsService } from '../modules/workflows/workflows.service.ts';
import { createWorkflowsDiffService, type WorkflowsDiffService } from '../modules/workflows/workflows-diff.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    prisma: PrismaClient;
    services: {
      apiKeys: ApiKeysService;
      tags: TagsService;
      workflows: WorkflowsService;
      workflowsDiff: WorkflowsDiffService;
      credentials: CredentialsService;
    };
  }
}

/** The one place services are wired to their dependencies. */
export const servicesPlugin = fp(
  async (app: FastifyInstance, opts: { databaseUrl: string; config: Config }) => {
    const { prisma, sql, close } = createDatabaseClients(opts.databaseUrl, { poolSize: opts.config.databasePoolSize });
    app.decorate('prisma', prisma);
    app.addHook('onClose', close);
    const key = await loadEncryptionKey(opts.config);
    const workflows = createWorkflowsService({ prisma, sql });
    app.decorate('services', {
      apiKeys: createApiKeysService({ prisma, cacheTtlMs: opts.config.apiKeyCacheTtlMs, log: app.log }),
      tags: createTagsService({ prisma }),
      workflows,
      workflowsDiff: createWorkflowsDiffService({ workflows }),
      credentials: createCredentialsService({ prisma, sql, key }),
    });
  },
  { name: 'services' },
);
