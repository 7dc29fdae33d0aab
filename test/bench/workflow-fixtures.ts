import { randomUUID } from 'node:crypto';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';

/** Placeholder id of the fixture's credential; the seed swaps in the id of a credential it creates. */
export const FIXTURE_CREDENTIAL_ID = 'cred000000000001';

/** Workflow bodies and rows for the workflow scenarios; plain data, no app code. */

interface Node {
  id?: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  webhookId?: string;
  credentials?: Record<string, { id: string | null; name: string }>;
}

type Connections = Record<string, { main: ({ node: string; type: string; index: number }[] | null)[] }>;

function setNode(i: number, position: [number, number]): Node {
  return {
    name: `Set fields ${i}`,
    type: 'n8n-nodes-base.set',
    typeVersion: 3.4,
    position,
    parameters: {
      mode: 'manual',
      assignments: {
        assignments: [
          { id: randomUUID(), name: 'customerId', value: '={{ $json.body.customer.id }}', type: 'string' },
          { id: randomUUID(), name: 'amountCents', value: '={{ Math.round($json.body.amount * 100) }}', type: 'number' },
          { id: randomUUID(), name: 'receivedAt', value: '={{ $now.toISO() }}', type: 'string' },
          { id: randomUUID(), name: `step${i}`, value: true, type: 'boolean' },
        ],
      },
      includeOtherFields: true,
      options: { dotNotation: true },
    },
  };
}

function httpNode(i: number, position: [number, number]): Node {
  return {
    name: `Call billing API ${i}`,
    type: 'n8n-nodes-base.httpRequest',
    typeVersion: 4.2,
    position,
    parameters: {
      method: 'POST',
      url: `=https://billing.example.com/api/v2/customers/{{ $json.customerId }}/events/${i}`,
      authentication: 'genericCredentialType',
      genericAuthType: 'httpHeaderAuth',
      sendQuery: true,
      queryParameters: {
        parameters: [
          { name: 'source', value: 'flowgate' },
          { name: 'step', value: String(i) },
        ],
      },
      sendHeaders: true,
      headerParameters: { parameters: [{ name: 'X-Request-Id', value: '={{ $execution.id }}' }] },
      sendBody: true,
      specifyBody: 'json',
      jsonBody: '={\n  "amount": {{ $json.amountCents }},\n  "currency": "EUR",\n  "at": "{{ $json.receivedAt }}"\n}',
      options: { timeout: 10000, response: { response: { fullResponse: false, neverError: false } } },
    },
    credentials: { httpHeaderAuth: { id: FIXTURE_CREDENTIAL_ID, name: 'Billing API key' } },
  };
}

function ifNode(i: number, position: [number, number]): Node {
  return {
    name: `Check status ${i}`,
    type: 'n8n-nodes-base.if',
    typeVersion: 2.2,
    position,
    parameters: {
      conditions: {
        options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
        conditions: [
          {
            id: randomUUID(),
            leftValue: '={{ $json.status }}',
            rightValue: 'ok',
            operator: { type: 'string', operation: 'equals' },
          },
          {
            id: randomUUID(),
            leftValue: '={{ $json.amountCents }}',
            rightValue: 0,
            operator: { type: 'number', operation: 'gt' },
          },
        ],
        combinator: 'and',
      },
      options: {},
    },
  };
}

const link = (node: string) => [{ node, type: 'main', index: 0 }];

/** A webhook trigger, then set / httpRequest / if nodes in a chain (an IF goes on through its true branch). */
export function chainWorkflowBody(nodeCount: number, name: string) {
  const nodes: Node[] = [
    {
      name: 'Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      position: [0, 0],
      webhookId: randomUUID(),
      parameters: { httpMethod: 'POST', path: 'billing-events', responseMode: 'onReceived', options: {} },
    },
  ];
  const makers = [setNode, httpNode, ifNode];
  for (let i = 1; i < nodeCount; i++) nodes.push(makers[(i - 1) % makers.length]!(i, [i * 220, (i % 2) * 120]));
  const connections: Connections = {};
  for (let i = 0; i + 1 < nodes.length; i++) {
    const from = nodes[i]!;
    const to = nodes[i + 1]!.name;
    connections[from.name] = { main: from.type === 'n8n-nodes-base.if' ? [link(to), []] : [link(to)] };
  }
  return {
    name,
    nodes,
    connections,
    settings: { executionOrder: 'v1', saveManualExecutions: true, timezone: 'Europe/Berlin', callerPolicy: 'workflowsFromSameOwner' },
  };
}

/** The POST body: the small valid workflow the route tests use (webhook feeding a Set node). */
export const CREATE_BODY = JSON.stringify(sampleWorkflowBody('Bench create'));

/** Stored columns of one small (3-node) workflow for the bulk seed; node ids given as the app would. */
export function smallWorkflowColumns(i: number, nodeCount = 3) {
  const body = chainWorkflowBody(nodeCount, `Bench workflow ${i}`);
  return {
    name: body.name,
    nodes: body.nodes.map((node) => ({ id: randomUUID(), ...node })),
    connections: body.connections,
    settings: { executionOrder: 'v1' },
  };
}
