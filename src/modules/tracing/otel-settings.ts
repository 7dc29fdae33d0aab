import { z } from 'zod';

/** n8n's otel-settings, with n8n's defaults. */
export const OtelSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  exporterEndpoint: z.url().max(2000),
  exporterTracingPath: z.string().max(500),
  exporterServiceName: z.string().min(1).max(200),
  exporterHeaders: z.string().max(8000).describe('`key=value` pairs separated by commas (OTEL_EXPORTER_OTLP_HEADERS’s format)'),
  exporterProtocol: z.enum(['http/protobuf', 'grpc']).default('http/protobuf'),
  tracesSampleRate: z.number().min(0).max(1),
  startupConnectivityTimeoutMs: z.number().int().min(0).max(60_000),
  includeNodeSpans: z.boolean(),
  injectOutbound: z.boolean(),
  productionExecutionsOnly: z.boolean(),
});
export type OtelSettings = z.infer<typeof OtelSettingsSchema>;

export const OtelTestTraceSchema = OtelSettingsSchema.pick({
  exporterEndpoint: true,
  exporterTracingPath: true,
  exporterServiceName: true,
  exporterHeaders: true,
  exporterProtocol: true,
  startupConnectivityTimeoutMs: true,
});
export type OtelTestTrace = z.infer<typeof OtelTestTraceSchema>;

export const DEFAULT_OTEL_SETTINGS: OtelSettings = {
  enabled: false,
  exporterEndpoint: 'http://localhost:4318',
  exporterTracingPath: '/v1/traces',
  exporterServiceName: 'n8n',
  exporterHeaders: '',
  exporterProtocol: 'http/protobuf',
  tracesSampleRate: 1,
  startupConnectivityTimeoutMs: 2000,
  includeNodeSpans: true,
  injectOutbound: false,
  productionExecutionsOnly: false,
};

/** What answers show of the headers: the names, with `***` for every value (they are usually tokens). */
export const MASK = '***';

export function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    headers[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return headers;
}

export const formatHeaders = (headers: Record<string, string>) =>
  Object.entries(headers)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Headers as answers carry them. */
export const maskHeaders = (text: string) => formatHeaders(Object.fromEntries(Object.keys(parseHeaders(text)).map((k) => [k, MASK])));

/** Headers as a PUT gives them: a `***` value keeps the stored value of that header (a GET answer can be sent back). */
export function mergeHeaders(sent: string, stored: string): string {
  const before = parseHeaders(stored);
  const after = parseHeaders(sent);
  for (const [key, value] of Object.entries(after)) if (value === MASK) after[key] = before[key] ?? '';
  return formatHeaders(after);
}
