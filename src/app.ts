import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import type { Config } from './config/env.ts';
import { genReqId, loggerOptions } from './lib/logger.ts';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { credentialsRoutes } from './modules/credentials/credentials.routes.ts';
import { oauth2CallbackRoutes } from './modules/credentials/oauth2-callback.routes.ts';
import { dataTablesRoutes } from './modules/data-tables/data-tables.routes.ts';
import { discoverRoutes } from './modules/discover/discover.routes.ts';
import { executionsRoutes } from './modules/executions/executions.routes.ts';
import { foldersRoutes } from './modules/folders/folders.routes.ts';
import { formRoutes } from './modules/forms/forms.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { insightsRoutes } from './modules/insights/insights.routes.ts';
import { nodeTypesRoutes } from './modules/node-types/node-types.routes.ts';
import { projectsRoutes } from './modules/projects/projects.routes.ts';
import { rolesRoutes } from './modules/roles/roles.routes.ts';
import { settingsRoutes } from './modules/settings/settings.routes.ts';
import { tagsRoutes } from './modules/tags/tags.routes.ts';
import { tracingRoutes } from './modules/tracing/tracing.routes.ts';
import { webhookRoutes } from './modules/triggers/webhooks.routes.ts';
import { usersRoutes } from './modules/users/users.routes.ts';
import { variablesRoutes } from './modules/variables/variables.routes.ts';
import { workflowsRoutes } from './modules/workflows/workflows.routes.ts';
import { authPlugin } from './plugins/auth.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { jsonBodyPlugin } from './plugins/json-body.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { FLOWGATE_VERSION, openApiPlugin } from './plugins/openapi.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { routeContractPlugin } from './plugins/route-contract.ts';
import { type ProcessRole, servicesPlugin } from './plugins/services.ts';
import { tracingPlugin } from './plugins/tracing.ts';

export interface AppOptions {
  config: Config;
  /** Resolved connection URL (DATABASE_URL, or the embedded server's). */
  databaseUrl: string;
  /** Where log lines go (default stdout): a file, a transport, or a test's capture. */
  logStream?: { write(line: string): void };
  /** main (default), worker (only health and metrics routes) or webhook processor (only /webhook and health). */
  role?: ProcessRole;
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** Builds the application without listening: the server, the tests and the benchmarks all use it. */
export async function buildApp({ config, databaseUrl, logStream, role = 'main' }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { ...loggerOptions(config), ...(logStream ? { stream: logStream } : {}) },
    genReqId,
    requestIdHeader: false,
    // A hop count trusts that many proxies nearest to us (Fastify's types want it as a function).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    // Bounded waits: a slow or stalled client cannot hold a connection forever.
    connectionTimeout: 60_000,
    requestTimeout: 120_000,
    keepAliveTimeout: 72_000,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true })
    : undefined;
  if (redis) {
    redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis connection error'));
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }

  // Order matters: contracts see every route; the IP limit runs before authentication; auth before handlers. Each
  // plugin names the plugins it needs (fastify-plugin `dependencies`), so a wrong order fails here with the names.
  await app.register(routeContractPlugin);
  await app.register(errorHandlerPlugin);
  await app.register(jsonBodyPlugin, { storedPrefix: config.publicApi.prefix });
  await app.register(servicesPlugin, { databaseUrl, config, role });
  await app.register(tracingPlugin);
  await app.register(rateLimitPlugin, { limits: config.rateLimit, redis });
  await app.register(authPlugin);
  // Before the routes, so its timing hook sees them all; before the OpenAPI generator, which leaves it out.
  if (config.metrics.enabled) {
    const { queue } = app.runtime;
    await app.register(metricsPlugin, {
      metrics: config.metrics,
      executionsByStatus: () => app.services.executions.countByStatus(),
      ...(queue ? { queueJobs: () => queue.counts() } : {}),
    });
  }

  // A worker serves health (and metrics) only; a webhook processor adds /webhook; a main serves everything.
  const { prefix, docsDisabled, disabled: apiDisabled } = config.publicApi;
  const api = role === 'main' && !apiDisabled;
  // Before any route: the OpenAPI generator only sees routes registered after it.
  if (api) await app.register(openApiPlugin, { prefix, docsDisabled });
  await app.register(healthRoutes);
  if (role === 'worker') return app;
  await app.register(webhookRoutes, { basePath: config.webhook.prefix, maxFileBytes: config.binaryData.maxBytes });
  await app.register(formRoutes, { maxFileBytes: config.binaryData.maxBytes });
  await app.register(oauth2CallbackRoutes);
  if (role !== 'main') return app;
  await app.register(settingsRoutes, { config, version: FLOWGATE_VERSION });
  if (api) {
    await app.register(apiKeysRoutes, { prefix });
    await app.register(tagsRoutes, { prefix });
    await app.register(workflowsRoutes, { prefix });
    await app.register(credentialsRoutes, { prefix });
    await app.register(executionsRoutes, { prefix });
    await app.register(usersRoutes, { prefix });
    await app.register(rolesRoutes, { prefix });
    await app.register(projectsRoutes, { prefix });
    await app.register(variablesRoutes, { prefix });
    await app.register(foldersRoutes, { prefix });
    await app.register(dataTablesRoutes, { prefix });
    await app.register(discoverRoutes, { prefix });
    await app.register(insightsRoutes, { prefix });
    await app.register(auditRoutes, { prefix });
    await app.register(tracingRoutes, { prefix });
    await app.register(nodeTypesRoutes, { prefix });
  }
  return app;
}
