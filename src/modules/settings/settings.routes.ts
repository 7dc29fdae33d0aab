import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/env.ts';

/** The n8n release whose public API flowgate answers like; clients read it to pick code paths. */
export const EMULATED_N8N_VERSION = '2.39.10';

const SettingsSchema = z.object({
  data: z.object({
    versionCli: z.string(),
    instanceId: z.string(),
    publicApi: z.object({
      enabled: z.boolean(),
      latestVersion: z.number(),
      path: z.string(),
      swaggerUi: z.object({ enabled: z.boolean() }),
    }),
    flowgate: z.object({ version: z.string() }),
  }),
});

/**
 * n8n's `GET /rest/settings`, reduced to what API clients probe for: the version, and where and whether the
 * public API is served. Public, and nothing in it is secret.
 */
export const settingsRoutes: FastifyPluginAsyncZod<{ config: Config; version: string }> = async (app, opts) => {
  const { publicApi } = opts.config;
  const body = {
    data: {
      versionCli: EMULATED_N8N_VERSION,
      instanceId: 'flowgate',
      publicApi: {
        enabled: !publicApi.disabled,
        latestVersion: 1,
        path: publicApi.prefix.replace(/^\//, '').replace(/\/v1$/, ''),
        swaggerUi: { enabled: !publicApi.disabled && !publicApi.docsDisabled },
      },
      flowgate: { version: opts.version },
    },
  };
  app.get(
    '/rest/settings',
    {
      config: { public: true },
      schema: {
        operationId: 'getSettings',
        summary: 'Version and public-API discovery, as n8n answers it',
        tags: ['Health'],
        response: { 200: SettingsSchema },
      },
    },
    async () => body,
  );
};
