/**
 * The execution benchmark's workflow: a Webhook and 10 Set/IF nodes in a chain, answering when the last node
 * finishes (responseMode lastNode), so one request is one complete, saved execution.
 */
export const BENCH_WEBHOOK_PATH = 'bench-execution';
export const BENCH_RUNNER_WEBHOOK_PATH = 'bench-execution-runner';

/**
 * `viaRunner`: the same workflow with expressions only JavaScript can answer (an array literal in each), so that every
 * node's expressions take the round trip to a runner instead of the server's fast path.
 */
export function executionBenchWorkflowBody(options: { viaRunner?: boolean } = {}) {
  // An array literal is beyond the fast path's grammar, so each of these takes the runner's round trip.
  const n = options.viaRunner ? '[$json.n][0]' : '$json.n';
  const nodes: Record<string, unknown>[] = [
    {
      name: 'Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      position: [0, 0],
      parameters: {
        path: options.viaRunner ? BENCH_RUNNER_WEBHOOK_PATH : BENCH_WEBHOOK_PATH,
        httpMethod: 'POST',
        responseMode: 'lastNode',
        options: {},
      },
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
                conditions: [{ id: `c${i}`, leftValue: `={{ ${n} }}`, rightValue: 0, operator: { type: 'number', operation: 'gte' } }],
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
                  {
                    id: `a${i}`,
                    name: 'n',
                    value: i === 1 ? (options.viaRunner ? '={{ [$json.body.n][0] }}' : '={{ $json.body.n }}') : `={{ ${n} + 1 }}`,
                    type: 'number',
                  },
                  {
                    id: `b${i}`,
                    name: `step${i}`,
                    value: options.viaRunner ? '=step {{ [$json.n][0] }}' : '=step {{ $json.n }}',
                    type: 'string',
                  },
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
  return {
    name: options.viaRunner ? 'Bench: webhook + 10 Set/IF (runner expressions)' : 'Bench: webhook + 10 Set/IF',
    nodes,
    connections,
    settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
  };
}

export const BENCH_CODE_WEBHOOK_PATH = 'bench-code-execution';

/** The Code-node benchmark's workflow: Webhook → Code (all items) → Set with an expression, answering at the end. */
export function codeBenchWorkflowBody() {
  return {
    name: 'Bench: webhook + Code + Set',
    nodes: [
      {
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        parameters: { path: BENCH_CODE_WEBHOOK_PATH, httpMethod: 'POST', responseMode: 'lastNode', options: {} },
      },
      {
        name: 'Code',
        type: 'n8n-nodes-base.code',
        typeVersion: 2,
        position: [200, 0],
        parameters: { jsCode: 'return $input.all().map((item) => ({ json: { n: item.json.body.n * 2, at: item.json.body.n } }));' },
      },
      {
        name: 'Set',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [400, 0],
        parameters: {
          assignments: { assignments: [{ id: 'a', name: 'label', value: '=n is {{ $json.n }}', type: 'string' }] },
          includeOtherFields: true,
          options: {},
        },
      },
    ],
    connections: {
      Webhook: { main: [[{ node: 'Code', type: 'main', index: 0 }]] },
      Code: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
  };
}
