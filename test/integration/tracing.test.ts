import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/api.ts';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import { call, type Json, userWithKey } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
beforeAll(async () => {
  t = await buildTestApp();
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

const settings = (overrides: Json = {}) => ({
  enabled: true,
  exporterEndpoint: receiver.url,
  exporterTracingPath: '/v1/traces',
  exporterServiceName: 'flowgate-test',
  exporterHeaders: 'x-otlp-token=s3cret',
  exporterProtocol: 'http/protobuf',
  tracesSampleRate: 1,
  startupConnectivityTimeoutMs: 2000,
  includeNodeSpans: true,
  injectOutbound: false,
  productionExecutionsOnly: false,
  ...overrides,
});

/** Waits for spans to arrive at the receiver. */
const until = <T>(what: () => T | undefined) => eventually(async () => what(), 'spans at the OTLP endpoint', 10_000);

describe('OpenTelemetry', () => {
  it('has n8n’s settings, off by default, with header values masked and kept when sent back masked', async () => {
    const initial = await call(t, 'GET', '/settings/otel', t.ownerKey);
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({ enabled: false, exporterProtocol: 'http/protobuf', exporterTracingPath: '/v1/traces' });
    const saved = await call(t, 'PUT', '/settings/otel', t.ownerKey, settings({ enabled: false }));
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.exporterHeaders).toBe('x-otlp-token=***');
    const back = await call(t, 'PUT', '/settings/otel', t.ownerKey, { ...saved.body, exporterServiceName: 'renamed' });
    expect(back.status).toBe(200);
    const stored = await t.app.prisma.instanceSetting.findUnique({ where: { key: 'otel' } });
    expect((stored?.value as Json | undefined)?.exporterHeaders).toBe('x-otlp-token=s3cret');
    expect((await call(t, 'PUT', '/settings/otel', t.ownerKey, settings({ exporterProtocol: 'grpc' }))).status).toBe(400);
    expect((await call(t, 'PUT', '/settings/otel', t.ownerKey, settings({ tracesSampleRate: 2 }))).status).toBe(400);
  });

  it('sends a test span, and says why when the endpoint does not take it', async () => {
    const ok = await call(t, 'POST', '/settings/otel/test-trace', t.ownerKey, {
      exporterEndpoint: receiver.url,
      exporterTracingPath: '/v1/traces',
      exporterServiceName: 'flowgate-probe',
      exporterHeaders: 'x-otlp-token=***',
      startupConnectivityTimeoutMs: 2000,
    });
    expect(ok.body).toEqual({ success: true });
    const probe = await until(() => receiver.spans.find((s) => s.name === 'flowgate.test-trace'));
    expect(probe.serviceName).toBe('flowgate-probe');
    expect(receiver.headers.at(-1)?.['x-otlp-token']).toBe('s3cret');
    const wrongPath = await call(t, 'POST', '/settings/otel/test-trace', t.ownerKey, {
      exporterEndpoint: receiver.url,
      exporterTracingPath: '/nope',
      exporterServiceName: 'x',
      exporterHeaders: '',
      startupConnectivityTimeoutMs: 2000,
    });
    expect(wrongPath.body.success).toBe(false);
    expect(wrongPath.body.error).toEqual(expect.any(String));
  });

  it('traces API requests, and each execution with a span per node run', async () => {
    expect((await call(t, 'PUT', '/settings/otel', t.ownerKey, settings())).status).toBe(200);
    const workflow = await call(t, 'POST', '/workflows', t.ownerKey, {
      name: 'Traced',
      nodes: [
        { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        { name: 'Pass', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
      ],
      connections: { Start: { main: [[{ node: 'Pass', type: 'main', index: 0 }]] } },
      settings: { executionOrder: 'v1' },
    });
    const run = await call(t, 'POST', `/workflows/${workflow.body.id}/run`, t.ownerKey, { wait: true });
    expect(run.status).toBe(200);

    const request = await until(() => receiver.spans.find((s) => s.name === 'POST /api/v1/workflows/:id/run'));
    expect(request).toMatchObject({ serviceName: 'flowgate-test', kind: 2 });
    expect(request.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 200 });
    const execution = await until(() =>
      receiver.spans.find((s) => s.name === 'workflow.execute' && s.attributes['n8n.execution.id'] === run.body.id),
    );
    expect(execution.attributes).toMatchObject({
      'n8n.workflow.id': workflow.body.id,
      'n8n.workflow.name': 'Traced',
      'n8n.execution.status': 'success',
    });
    const nodes = await until(() => {
      const found = receiver.spans.filter((s) => s.name === 'node.execute' && s.parentSpanId === execution.spanId);
      return found.length === 2 ? found : undefined;
    });
    expect(nodes.map((n) => [n.attributes['n8n.node.name'], n.attributes['n8n.node.type']]).sort()).toEqual([
      ['Pass', 'n8n-nodes-base.noOp'],
      ['Start', 'n8n-nodes-base.manualTrigger'],
    ]);
    for (const node of nodes) {
      expect(node.traceId).toBe(execution.traceId);
      expect(node.startNanos >= execution.startNanos && node.endNanos <= execution.endNanos).toBe(true);
    }

    // Manual runs left out when only production runs are traced.
    await call(t, 'PUT', '/settings/otel', t.ownerKey, settings({ productionExecutionsOnly: true }));
    const second = await call(t, 'POST', `/workflows/${workflow.body.id}/run`, t.ownerKey, { wait: true });
    // A request after the run: once its span has arrived, the run's would have too.
    expect((await call(t, 'GET', '/settings/otel', t.ownerKey)).status).toBe(200);
    await until(() => receiver.spans.find((s) => s.name === 'GET /api/v1/settings/otel'));
    expect(receiver.spans.some((s) => s.attributes['n8n.execution.id'] === second.body.id)).toBe(false);
    await call(t, 'PUT', '/settings/otel', t.ownerKey, settings({ enabled: false }));
  });

  it('is for owners and admins', async () => {
    const member = await userWithKey(t, 'otel-member');
    expect((await call(t, 'GET', '/settings/otel', member.key)).status).toBe(403);
  });
});
