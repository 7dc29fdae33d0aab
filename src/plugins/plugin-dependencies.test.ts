import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { authPlugin } from './auth.ts';
import { errorHandlerPlugin } from './error-handler.ts';
import { jsonBodyPlugin } from './json-body.ts';
import { openApiPlugin } from './openapi.ts';
import { rateLimitPlugin } from './rate-limit.ts';
import { routeContractPlugin } from './route-contract.ts';
import { servicesPlugin } from './services.ts';

const LIMITS = { ipMax: 100, ipWindowMs: 60_000, keyReadMax: 0, keyWriteMax: 0, keyWindowMs: 60_000, webhookIpMax: 0 };

/** Stands in for the real services plugin (which needs a database): same name, only the API keys auth uses. */
const fakeServicesPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('services', { apiKeys: { authenticate: async () => null } } as unknown as FastifyInstance['services']);
  },
  { name: 'services' },
);

const meta = (plugin: unknown) => (plugin as Record<symbol, { name?: string; dependencies?: string[] }>)[Symbol.for('plugin-meta')];

let app: FastifyInstance | undefined;

function newApp(): FastifyInstance {
  app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  return app;
}

afterEach(async () => {
  await app?.close().catch(() => {});
  app = undefined;
});

describe('plugin dependencies', () => {
  it('each plugin names the plugins it needs', () => {
    const declared = Object.fromEntries(
      [routeContractPlugin, errorHandlerPlugin, jsonBodyPlugin, servicesPlugin, rateLimitPlugin, authPlugin, openApiPlugin].map(
        (plugin) => [meta(plugin)?.name, meta(plugin)?.dependencies ?? []],
      ),
    );
    expect(declared).toEqual({
      'route-contract': [],
      'error-handler': [],
      'json-body': ['error-handler'],
      services: [],
      'rate-limit': ['error-handler'],
      auth: ['route-contract', 'error-handler', 'services', 'rate-limit'],
      openapi: ['route-contract'],
    });
  });

  it.each([
    ['json-body', () => newApp().register(jsonBodyPlugin, { storedPrefix: '/api/v1' }), 'error-handler'],
    ['rate-limit', () => newApp().register(rateLimitPlugin, { limits: LIMITS }), 'error-handler'],
    ['openapi', () => newApp().register(openApiPlugin, { prefix: '/api/v1', docsDisabled: true }), 'route-contract'],
    ['auth', () => newApp().register(authPlugin), 'route-contract'],
  ])('refuses to boot when %s is registered without its dependency', async (name, register, missing) => {
    const instance = register();
    await expect(instance.ready()).rejects.toMatchObject({
      code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED',
      message: `The dependency '${missing}' of plugin '${name}' is not registered`,
    });
  });

  it('refuses to boot when auth comes before the rate limit it must follow', async () => {
    const instance = newApp();
    await instance.register(routeContractPlugin);
    await instance.register(errorHandlerPlugin);
    await instance.register(fakeServicesPlugin);
    instance.register(authPlugin);
    instance.register(rateLimitPlugin, { limits: LIMITS });
    await expect(instance.ready()).rejects.toThrow("The dependency 'rate-limit' of plugin 'auth' is not registered");
  });

  it('boots in the order of src/app.ts and authenticates', async () => {
    const instance = newApp();
    await instance.register(routeContractPlugin);
    await instance.register(errorHandlerPlugin);
    await instance.register(jsonBodyPlugin, { storedPrefix: '/api/v1' });
    await instance.register(fakeServicesPlugin);
    await instance.register(rateLimitPlugin, { limits: LIMITS });
    await instance.register(authPlugin);
    await instance.register(openApiPlugin, { prefix: '/api/v1', docsDisabled: true });
    instance.get('/api/v1/thing', { config: { scopes: ['workflow:read'] } }, async () => ({ ok: true }));
    await instance.ready();
    const res = await instance.inject({ url: '/api/v1/thing', headers: { 'x-n8n-api-key': 'n8n_api_wrong' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ message: 'Unauthorized', code: 'UNAUTHORIZED' });
  });
});
