import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema } from '../../lib/schemas.ts';
import { OtelSettingsSchema, OtelTestTraceSchema } from './otel-settings.ts';

const TAGS = ['SettingsOtel'];
const OtelSettingsAnswer = OtelSettingsSchema.extend({ exporterProtocol: z.enum(['http/protobuf', 'grpc']) }).meta({ id: 'OtelSettings' });

export const tracingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { tracing } = app.services;

  app.get(
    '/settings/otel',
    {
      config: { scopes: ['otel:manage'] },
      schema: {
        operationId: 'getOtelSettings',
        summary: 'The OpenTelemetry settings (header values masked)',
        tags: TAGS,
        response: { 200: OtelSettingsAnswer },
      },
    },
    async () => tracing.get(),
  );

  app.put(
    '/settings/otel',
    {
      config: { scopes: ['otel:manage'] },
      schema: {
        operationId: 'updateOtelSettings',
        summary: 'Change the OpenTelemetry settings (every instance follows within 5 seconds)',
        tags: TAGS,
        body: OtelSettingsSchema,
        response: { 200: OtelSettingsAnswer, 400: ErrorSchema },
      },
    },
    async (request) => {
      const updated = await tracing.update(request.body);
      request.log.info({ enabled: updated.enabled, byApiKeyId: request.principal!.apiKeyId }, 'otel settings changed');
      return updated;
    },
  );

  app.post(
    '/settings/otel/test-trace',
    {
      config: { scopes: ['otel:manage'] },
      schema: {
        operationId: 'testOtelTrace',
        summary: 'Send one test span to an OTLP endpoint',
        tags: TAGS,
        body: OtelTestTraceSchema,
        response: { 200: z.object({ success: z.boolean(), error: z.string().optional() }), 400: ErrorSchema },
      },
    },
    async (request) => tracing.testTrace(request.body),
  );
};
