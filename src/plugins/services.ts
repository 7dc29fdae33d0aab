import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Agent, buildConnector } from 'undici';
import type { Config } from '../config/env.ts';
import { createDatabaseClients, type PrismaClient, type SqlPool } from '../db/client.ts';
import { createNodeTypeRegistry, type NodeTypeRegistry } from '../engine/nodes/registry.ts';
import type { RunnerPool } from '../engine/runner/runner-pool.ts';
import { workflowTimezone } from '../engine/workflow-timezone.ts';
import { createAddressPolicy } from '../lib/net/address-policy.ts';
import { createGuardedConnector } from '../lib/net/guarded-connector.ts';
import { type ApiKeysService, createApiKeysService } from '../modules/api-keys/api-keys.service.ts';
import { type AuditService, createAuditService } from '../modules/audit/audit.service.ts';
import { type BinaryDataService, createBinaryDataService } from '../modules/binary-data/binary-data.service.ts';
import { assertCredentialReferences } from '../modules/credentials/credential-references.ts';
import {
  type CredentialsService,
  createCredentialsService,
  UnreadableCredentialsError,
} from '../modules/credentials/credentials.service.ts';
import { loadEncryptionKey } from '../modules/credentials/encryption-key.ts';
import { createDataTablesService, type DataTablesService } from '../modules/data-tables/data-tables.service.ts';
import { createWorkflowDataTables } from '../modules/data-tables/workflow-data-tables.ts';
import { createEngineServices } from '../modules/executions/engine-services.ts';
import { createErrorWorkflows } from '../modules/executions/error-workflows.ts';
import { createLocalDispatcher, type ExecutionDispatcher } from '../modules/executions/execution-dispatch.ts';
import { createExecutionRunner, type ExecutionRunner } from '../modules/executions/execution-runner.ts';
import { createExecutionsService, type ExecutionsService } from '../modules/executions/executions.service.ts';
import { executionsStore } from '../modules/executions/executions.store.ts';
import { createInstanceLiveness, type InstanceLiveness } from '../modules/executions/instance-liveness.ts';
import { createSubWorkflowRunner } from '../modules/executions/sub-workflows.ts';
import { createWorkflowLoader, type WorkflowLoader } from '../modules/executions/workflow-loader.ts';
import { createFoldersService, type FoldersService } from '../modules/folders/folders.service.ts';
import { createFormsService, type FormsService } from '../modules/forms/forms.service.ts';
import { createInsightsService, type InsightsService } from '../modules/insights/insights.service.ts';
import { createProjectsService, type ProjectsService } from '../modules/projects/projects.service.ts';
import { createExecutionQueue, type ExecutionQueue } from '../modules/queue/execution-queue.ts';
import { createQueueDispatcher } from '../modules/queue/queue-dispatch.ts';
import { createQueueWorker } from '../modules/queue/queue-worker.ts';
import { createRolesService, type RolesService } from '../modules/roles/roles.service.ts';
import { tagsRepository } from '../modules/tags/tags.repository.ts';
import { createTagsService, type TagsService } from '../modules/tags/tags.service.ts';
import { createTracingService, type TracingService } from '../modules/tracing/tracing.service.ts';
import { createTriggerPoller, type TriggerPoller } from '../modules/triggers/trigger-poller.ts';
import { syncTriggers, syncTriggersIfChanged } from '../modules/triggers/trigger-registrations.ts';
import { createWebhooksService, type WebhooksService } from '../modules/triggers/webhooks.service.ts';
import { createUsersService, type UsersService } from '../modules/users/users.service.ts';
import { createVariablesService, type VariablesService } from '../modules/variables/variables.service.ts';
import { createWorkflowDocumentCache } from '../modules/workflows/workflow-documents.cache.ts';
import { createWorkflowHistoryService, type WorkflowHistoryService } from '../modules/workflows/workflow-history.service.ts';
import { createWorkflowPublishingService, type WorkflowPublishingService } from '../modules/workflows/workflow-publishing.service.ts';
import { createWorkflowsService, type WorkflowsService } from '../modules/workflows/workflows.service.ts';
import { createWorkflowsDiffService, type WorkflowsDiffService } from '../modules/workflows/workflows-diff.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    prisma: PrismaClient;
    services: {
      apiKeys: ApiKeysService;
      tags: TagsService;
      workflows: WorkflowsService;
      workflowPublishing: WorkflowPublishingService;
      workflowHistory: WorkflowHistoryService;
      workflowsDiff: WorkflowsDiffService;
      credentials: CredentialsService;
      projects: ProjectsService;
      variables: VariablesService;
      folders: FoldersService;
      dataTables: DataTablesService;
      insights: InsightsService;
      audit: AuditService;
      tracing: TracingService;
      /** The node types this server runs (built-in ones and those made from its configuration and services). */
      nodeTypes: NodeTypeRegistry;
      users: UsersService;
      roles: RolesService;
      executions: ExecutionsService;
      webhooks: WebhooksService;
      forms: FormsService;
      /** Items' files, when kept outside the execution data (not in N8N_DEFAULT_BINARY_DATA_MODE=default). */
      binaryData: BinaryDataService | undefined;
    };
    /** The execution runtime: used by webhooks and the trigger poller, and by tests that drive them. */
    runtime: {
      sql: SqlPool;
      runner: ExecutionRunner;
      loader: WorkflowLoader;
      liveness: InstanceLiveness;
      /** Where runs start: this process, or the queue (EXECUTIONS_MODE=queue). */
      dispatcher: ExecutionDispatcher;
      /** The BullMQ queue, in queue mode. */
      queue: ExecutionQueue | undefined;
      poller: TriggerPoller;
      /** The runner processes of user code. */
      runners: RunnerPool;
    };
  }
}

/**
 * What this process is: a main (API, webhooks, schedules and Wait resumes), a queue worker (runs queued executions),
 * or a webhook processor (only /webhook). Regular mode has only mains, which run everything themselves.
 */
export type ProcessRole = 'main' | 'worker' | 'webhook';

/** The one place services are wired to their dependencies. */
export const servicesPlugin = fp(
  async (app: FastifyInstance, opts: { databaseUrl: string; config: Config; role: ProcessRole }) => {
    const { config, role } = opts;
    const { prisma, sql, close } = createDatabaseClients(opts.databaseUrl, { poolSize: config.databasePoolSize });
    app.decorate('prisma', prisma);
    const key = await loadEncryptionKey(config);
    const apiKeys = createApiKeysService({ sql, cacheTtlMs: config.apiKeyCacheTtlMs, log: app.log });
    const roles = createRolesService({ sql, onChange: () => apiKeys.forgetAll() });
    const forgetUser = (userId: string) => apiKeys.forgetUser(userId);
    const projects = createProjectsService({ sql, roles, forgetUser });
    const variables = createVariablesService({ sql });
    const tracing = createTracingService({ sql, log: app.log });
    const dataTables = createDataTablesService({ sql, projects, maxBytes: config.dataTablesMaxBytes });
    const workflowDeps = {
      sql,
      documents: createWorkflowDocumentCache({ maxBytes: config.workflowCacheBytes }),
      projects,
      tags: tagsRepository,
      triggers: { sync: syncTriggers, syncIfChanged: syncTriggersIfChanged },
      credentials: { assertReferences: assertCredentialReferences },
      timezoneOf: (settings: unknown) => workflowTimezone(settings, config.timezone),
    };
    const outboundPolicy = createAddressPolicy({ ...config.httpRequest.ssrf, internalPorts: config.httpRequest.internalPorts });
    const credentials = createCredentialsService({
      sql,
      key,
      projects,
      baseUrl: config.webhook.baseUrl,
      network: {
        policy: outboundPolicy,
        dispatcher: new Agent({ connect: createGuardedConnector({ policy: outboundPolicy, connect: buildConnector({}) }) }),
      },
    });
    const nodeTypes = createNodeTypeRegistry();
    const binaryData =
      config.binaryData.mode === 'default'
        ? undefined
        : createBinaryDataService({ sql, mode: config.binaryData.mode, dir: config.dataDir, maxBytes: config.binaryData.maxBytes });
    const loader = createWorkflowLoader(sql);
    let runner: ExecutionRunner | undefined;
    const errorWorkflows = createErrorWorkflows({ loader, runner: () => runner!, baseUrl: config.webhook.baseUrl, log: app.log });
    const engine = createEngineServices({
      config,
      nodeTypes,
      credentials,
      dataTables: createWorkflowDataTables(dataTables),
      // Late-bound: the runner runs the engine, and sub-workflows run through the runner.
      subWorkflows: createSubWorkflowRunner({ loader, runner: () => runner! }),
      binaryData,
      log: app.log,
    });
    const liveness = createInstanceLiveness({
      databaseUrl: opts.databaseUrl,
      sql,
      kind: role,
      leaseMs: config.executions.leaseMs,
      onCancel: (id) => runner?.cancel(id),
      log: app.log,
    });
    runner = createExecutionRunner({
      sql,
      engine,
      liveness,
      log: app.log,
      options: config.executions,
      variables: variables.valuesFor,
      tracing,
      onFailed: (run) => errorWorkflows.onFailed(run),
    });
    const queue = config.queue.enabled
      ? createExecutionQueue({ redis: config.queue.redis, prefix: config.queue.prefix, log: app.log })
      : undefined;
    const dispatcher =
      queue && role !== 'worker'
        ? createQueueDispatcher({ sql, queue, store: executionsStore, log: app.log })
        : createLocalDispatcher({ sql, runner, instanceId: liveness.instanceId, store: executionsStore, log: app.log });
    const worker =
      role === 'worker'
        ? createQueueWorker({
            redis: config.queue.redis,
            prefix: config.queue.prefix,
            concurrency: config.queue.concurrency,
            sql,
            runner,
            instanceId: liveness.instanceId,
            store: executionsStore,
            log: app.log,
          })
        : undefined;
    const poller = createTriggerPoller({
      sql,
      runner,
      dispatcher,
      loader,
      nodeTypes: engine.nodeTypes,
      credentials,
      liveness,
      store: executionsStore,
      binaryData,
      log: app.log,
      options: {
        leaseMs: config.executions.leaseMs,
        intervalMs: config.executions.triggerPollMs,
        prune: {
          enabled: config.executions.prune,
          maxAgeHours: config.executions.maxAgeHours,
          maxCount: config.executions.maxCount,
          intervalMs: config.executions.pruneIntervalMs,
        },
      },
    });
    app.decorate('services', {
      apiKeys,
      tags: createTagsService({ sql }),
      workflows: createWorkflowsService(workflowDeps),
      workflowPublishing: createWorkflowPublishingService(workflowDeps),
      workflowHistory: createWorkflowHistoryService(workflowDeps),
      workflowsDiff: createWorkflowsDiffService(workflowDeps),
      credentials,
      projects,
      variables,
      folders: createFoldersService(workflowDeps),
      dataTables,
      insights: createInsightsService({ sql }),
      tracing,
      audit: createAuditService({
        sql,
        settings: {
          features: {
            communityPackagesEnabled: false,
            versionNotificationsEnabled: false,
            templatesEnabled: false,
            publicApiEnabled: true,
          },
          nodes: { nodesExclude: config.nodesExclude.length ? JSON.stringify(config.nodesExclude) : 'none', nodesInclude: 'none' },
          telemetry: { diagnosticsEnabled: false },
          outbound: { ssrfProtectionEnabled: config.httpRequest.ssrf.blockPrivate },
          code: { envAccessInNodes: config.runners.envAccess },
        },
      }),
      users: createUsersService({ sql, roles, forgetUser }),
      roles,
      executions: createExecutionsService({ sql, runner, dispatcher, liveness, loader, nodeTypes }),
      nodeTypes: engine.nodeTypes,
      webhooks: createWebhooksService({
        sql,
        runner: dispatcher,
        loader,
        credentials,
        baseUrl: config.webhook.baseUrl,
        basePath: config.webhook.prefix,
        binaryData,
      }),
      binaryData,
      forms: createFormsService({
        sql,
        dispatcher,
        store: executionsStore,
        loader,
        credentials,
        binaryData,
        secret: key.key,
        defaultTimezone: config.timezone,
      }),
    });
    app.decorate('runtime', { sql, runner, loader, liveness, dispatcher, queue, poller, runners: engine.pool });

    // The database may be down at start (readiness then says so): liveness retries in the background, and the
    // poller's first pass (it repeats recovery every 30 s) cleans up after crashed instances.
    app.addHook('onReady', async () => {
      await liveness.start();
      // Only after the liveness lock: a credential key rotation then either sees this instance and refuses, or has
      // committed and this refuses a key that cannot read the rows (see rotateCredentialKey). A database that is
      // down is not a reason to stop here (readiness reports it).
      await credentials.verifyReadable().catch(async (error) => {
        if (error instanceof UnreadableCredentialsError) {
          // This instance will not run: its lease goes now, so a key rotation (the fix) is not refused because of it.
          await liveness.close();
          throw error;
        }
        app.log.warn({ err: error }, 'could not check that the stored credentials are readable');
      });
      if (role === 'main') await apiKeys.reportMissingOwnerKey();
      await liveness.recoverCrashed(sql).catch((error) => app.log.warn({ err: error }, 'crash recovery failed; the poller retries'));
      // Completions and Respond to Webhook answers are heard before the first run is queued.
      if (queue && role !== 'worker') await queue.start();
      // Schedules, Wait resumes, recovery and pruning are the mains' work; workers and webhook processors only run.
      if (role === 'main') poller.start();
      worker?.start();
    });
    // Ordered: stop taking new work, let running executions end (then cancel them), and only then close the DB.
    app.addHook('onClose', async () => {
      try {
        await poller.stop();
        const workerClosed = worker?.close();
        await runner?.shutdown(Math.min(config.shutdownTimeoutMs / 2, 10_000));
        await workerClosed;
      } finally {
        // Whatever failed above, the connections and the lease are given up.
        dispatcher.close();
        await queue?.close();
        await liveness.close();
        // Runs are over or canceled by now: what the runners still hold is let go of.
        await engine.close(1000);
        await tracing.close();
        await close();
      }
    });
  },
  { name: 'services' },
);
