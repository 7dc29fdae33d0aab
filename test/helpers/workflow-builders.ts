import { randomUUID } from 'node:crypto';
import { api, createWorkflow } from './api.ts';
import type { TestApp } from './test-app.ts';

export type Json = Record<string, unknown>;
export type TestNode = Json & { name: string; type: string };

/** A node of `type` (`set`, or a full type name), at typeVersion `version`. */
export function node(name: string, type: string, parameters: Json = {}, version = 1, extra: Json = {}): TestNode {
  return {
    name,
    type: type.includes('.') ? type : `n8n-nodes-base.${type}`,
    typeVersion: version,
    position: [0, 0],
    parameters,
    ...extra,
  };
}

/** A Webhook node (typeVersion 2) at `path`. */
export function webhookTrigger(path: string, parameters: Json = {}): TestNode {
  return node('Webhook', 'webhook', { httpMethod: 'POST', path, ...parameters }, 2, { webhookId: randomUUID() });
}

/** Nodes in a line: each feeds the next. */
export function chain(nodes: TestNode[]): Json {
  const connections: Json = {};
  for (let i = 0; i < nodes.length - 1; i++) {
    connections[nodes[i]!.name] = { main: [[{ node: nodes[i + 1]!.name, type: 'main', index: 0 }]] };
  }
  return connections;
}

/** Creates and activates a workflow of `nodes` in a line; its id. */
export async function activeChain(t: TestApp, name: string, nodes: TestNode[], settings: Json = {}): Promise<string> {
  const id = await createWorkflow(t, { name, nodes, connections: chain(nodes), settings });
  const activated = await api(t, 'POST', `/workflows/${id}/activate`);
  if (activated.statusCode !== 200) throw new Error(`activation failed: ${activated.body}`);
  return id;
}

/** The last execution of workflow `id`, with its data. */
export async function lastExecution(t: TestApp, id: string): Promise<Json | undefined> {
  const list = await api(t, 'GET', `/executions?workflowId=${id}&limit=1`);
  const first = list.json().data?.[0] as { id: string; finished?: boolean; stoppedAt?: string | null } | undefined;
  if (!first?.stoppedAt) return undefined;
  return (await api(t, 'GET', `/executions/${first.id}?includeData=true`)).json();
}

/** An output item as the executions API shows it. */
export interface RunItem {
  json: Json;
  binary?: Record<string, Json & { id?: string }>;
}

/** The items node `name` put on output `output` in its run `run` of an execution fetched with its data. */
export function outputOf(execution: Json, name: string, run = 0, output = 0): RunItem[] {
  const runData = (execution.data as { resultData: { runData: Record<string, { data?: { main: RunItem[][] } }[]> } }).resultData.runData;
  return runData[name]?.[run]?.data?.main[output] ?? [];
}
