import { type Attributes, context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { FastifyBaseLogger } from 'fastify';
import type { SqlPool } from '../../db/client.ts';
import type { ExecutionData, WorkflowDefinition } from '../../engine/types.ts';
import { ValidationError } from '../../lib/errors.ts';
import { instanceSettingsRepository as repo } from './instance-settings.repository.ts';
import {
  DEFAULT_OTEL_SETTINGS,
  maskHeaders,
  mergeHeaders,
  type OtelSettings,
  OtelSettingsSchema,
  type OtelTestTrace,
  parseHeaders,
} from './otel-settings.ts';

export type TracingService = ReturnType<typeof createTracingService>;

const SETTINGS_KEY = 'otel';
/** How stale an instance's copy of the shared settings may be: a change made elsewhere applies within this. */
const SETTINGS_TTL_MS = 5000;
/** Spans are sent in batches at least this often. */
const EXPORT_DELAY_MS = 1000;

interface Active {
  settings: OtelSettings;
  provider: BasicTracerProvider;
  tracer: Tracer;
}

const exporterFor = (s: Pick<OtelSettings, 'exporterEndpoint' | 'exporterTracingPath' | 'exporterHeaders'>, timeoutMillis?: number) =>
  new OTLPTraceExporter({
    url: `${s.exporterEndpoint.replace(/\/+$/, '')}${s.exporterTracingPath.startsWith('/') ? '' : '/'}${s.exporterTracingPath}`,
    headers: parseHeaders(s.exporterHeaders),
    ...(timeoutMillis ? { timeoutMillis } : {}),
  });

const resourceOf = (serviceName: string) => resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': 'flowgate' });

function assertSupported(protocol: OtelSettings['exporterProtocol']) {
  if (protocol !== 'http/protobuf') {
    throw new ValidationError(`exporterProtocol "${protocol}" is not supported by this server: use "http/protobuf" (OTLP over HTTP)`);
  }
}

/** A finished run, as its trace shows it. */
export interface FinishedExecution {
  workflow: Pick<WorkflowDefinition, 'id' | 'name' | 'nodes'>;
  executionId: number;
  mode: string;
  status: string;
  startedAt: number;
  finishedAt: number;
  data: ExecutionData;
}

/**
 * n8n's OpenTelemetry settings (shared by every instance through PostgreSQL) and the traces they turn on: a span
 * per API request, and per execution a span with one child per node run (from the run data's start and run times),
 * exported over OTLP/HTTP by the OpenTelemetry SDK. Disabled, it costs a timestamp comparison per request.
 */
export function createTracingService(deps: { sql: SqlPool; log: FastifyBaseLogger }) {
  const { sql, log } = deps;
  let readAt = 0;
  let refreshing: Promise<void> | undefined;
  let active: Active | undefined;

  async function load(): Promise<OtelSettings> {
    const stored = await repo.get<Partial<OtelSettings>>(sql, SETTINGS_KEY);
    return { ...DEFAULT_OTEL_SETTINGS, ...(stored ?? {}) };
  }

  /** Starts, replaces or stops the provider so that it follows `next`. */
  async function apply(next: OtelSettings) {
    readAt = Date.now();
    const same = active && JSON.stringify(active.settings) === JSON.stringify(next);
    if (same) return;
    const previous = active;
    active = undefined;
    if (next.enabled && next.exporterProtocol === 'http/protobuf') {
      const provider = new BasicTracerProvider({
        resource: resourceOf(next.exporterServiceName),
        sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(next.tracesSampleRate) }),
        spanProcessors: [new BatchSpanProcessor(exporterFor(next), { scheduledDelayMillis: EXPORT_DELAY_MS })],
      });
      active = { settings: next, provider, tracer: provider.getTracer('flowgate') };
    }
    await previous?.provider.shutdown().catch((err: unknown) => log.warn({ err }, 'tracing: flushing the previous exporter failed'));
  }

  /** The tracer when tracing is on; refreshes the shared settings in the background when this copy is old. */
  function tracer(): Active | undefined {
    if (Date.now() - readAt > SETTINGS_TTL_MS && !refreshing) {
      readAt = Date.now();
      refreshing = load()
        .then(apply)
        .catch((err: unknown) => log.warn({ err }, 'tracing: reading the settings failed'))
        .finally(() => {
          refreshing = undefined;
        });
    }
    return active;
  }

  return {
    /** The settings as answers show them (header values masked). */
    async get(): Promise<OtelSettings> {
      const current = await load();
      return { ...current, exporterHeaders: maskHeaders(current.exporterHeaders) };
    },

    async update(input: OtelSettings): Promise<OtelSettings> {
      const parsed = OtelSettingsSchema.parse(input);
      assertSupported(parsed.exporterProtocol);
      const stored = await load();
      const next = { ...parsed, exporterHeaders: mergeHeaders(parsed.exporterHeaders, stored.exporterHeaders) };
      await repo.put(sql, SETTINGS_KEY, next);
      await apply(next);
      return { ...next, exporterHeaders: maskHeaders(next.exporterHeaders) };
    },

    /** Sends one span to the given exporter and says whether it was taken. */
    async testTrace(input: OtelTestTrace): Promise<{ success: boolean; error?: string }> {
      assertSupported(input.exporterProtocol);
      const headers = mergeHeaders(input.exporterHeaders, (await load()).exporterHeaders);
      const memory = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({
        resource: resourceOf(input.exporterServiceName),
        spanProcessors: [new SimpleSpanProcessor(memory)],
      });
      provider
        .getTracer('flowgate')
        .startSpan('flowgate.test-trace', { attributes: { 'flowgate.test': true } })
        .end();
      await provider.forceFlush();
      const exporter = exporterFor({ ...input, exporterHeaders: headers }, input.startupConnectivityTimeoutMs || 2000);
      const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
      await exporter.shutdown().catch(() => undefined);
      await provider.shutdown();
      return result.code === 0
        ? { success: true }
        : { success: false, error: result.error?.message ?? 'The exporter did not accept the span' };
    },

    /** A span for one API request (null when tracing is off); end it with its status code. */
    startRequest(method: string, route: string, path: string): { end(statusCode: number): void } | null {
      const current = tracer();
      if (!current) return null;
      const span = current.tracer.startSpan(`${method} ${route}`, {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': method, 'http.route': route, 'url.path': path },
      });
      return {
        end(statusCode) {
          span.setAttribute('http.response.status_code', statusCode);
          if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },

    /** The trace of a finished run: its span, and a child span per node run when includeNodeSpans. */
    recordExecution(run: FinishedExecution): void {
      const current = tracer();
      if (!current || (current.settings.productionExecutionsOnly && run.mode === 'manual')) return;
      const attributes: Attributes = {
        'n8n.workflow.id': run.workflow.id,
        'n8n.workflow.name': run.workflow.name,
        'n8n.execution.id': String(run.executionId),
        'n8n.execution.mode': run.mode,
        'n8n.execution.status': run.status,
      };
      const root = current.tracer.startSpan('workflow.execute', { kind: SpanKind.INTERNAL, startTime: run.startedAt, attributes });
      if (run.status === 'error' || run.status === 'crashed') root.setStatus({ code: SpanStatusCode.ERROR });
      if (current.settings.includeNodeSpans) nodeSpans(current.tracer, root, run);
      root.end(run.finishedAt);
    },

    /** Sends what is buffered and stops (shutdown). */
    async close() {
      await active?.provider.shutdown().catch(() => undefined);
      active = undefined;
    },
  };
}

function nodeSpans(tracer: Tracer, root: Span, run: FinishedExecution) {
  const parent = trace.setSpan(context.active(), root);
  const types = new Map(run.workflow.nodes.map((node) => [node.name, node.type]));
  for (const [name, runs] of Object.entries(run.data.resultData.runData ?? {})) {
    for (const [runIndex, task] of runs.entries()) {
      const span = tracer.startSpan(
        'node.execute',
        {
          startTime: task.startTime,
          attributes: { 'n8n.node.name': name, 'n8n.node.type': types.get(name) ?? '', 'n8n.node.run_index': runIndex },
        },
        parent,
      );
      if (task.executionStatus === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: String(task.error?.message ?? '') });
      span.end(task.startTime + (task.executionTime ?? 0));
    }
  }
}
