/**
 * The execution benchmark's workflow: a Webhook and 10 Set/IF nodes in a chain, answering when the last node
 * finishes (responseMode lastNode), so one request is one complete, saved execution.
 */
export const BENCH_WEBHOOK_PATH = 'bench-execution';

export function executionBenchWorkflowBody() {
  const nodes: Record<string, unknown>[] = [
    {
      name: 'Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      position: [0, 0],
      parameters: { path: BENCH_WEBHOOK_PATH, httpMethod: 'POST', responseMode: 'lastNode', options: {} },
    },
  ];
  const connections: Record<string, unknown> = {};
  let previous = 'Webhook';
  for (let i = 1; i <= 10; i++) {
    const isIf = i % 2 === 0;
    const name = isIf ? `If ${i}` : `Set ${i}`;
    nodes.push(
      isIf
        ? {
            name,
            type: 'n8n-nodes-base.if',
            typeVersion: 2,
            position: [i * 200, 0],
            parameters: {
              conditions: {
                options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
                conditions: [{ id: `c${i}`, leftValue: '={{ $json.n }}', rightValue: 0, operator: { type: 'number', operation: 'gte' } }],
                combinator: 'and',
              },
              options: {},
            },
          }
        : {
            name,
            type: 'n8n-nodes-base.set',
            typeVersion: 3.4,
            position: [i * 200, 0],
            parameters: {
              assignments: {
                assignments: [
                  { id: `a${i}`, name: 'n', value: i === 1 ? '={{ $json.body.n }}' : '={{ $json.n + 1 }}', type: 'number' },
                  { id: `b${i}`, name: `step${i}`, value: `=step {{ $json.n }}`, type: 'string' },
                ],
              },
              includeOtherFields: i !== 1,
              options: {},
            },
          },
    );
    connections[previous] = { main: [[{ node: name, type: 'main', index: 0 }]] };
    previous = name;
  }
  return { name: 'Bench: webhook + 10 Set/IF', nodes, connections, settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' } };
}
