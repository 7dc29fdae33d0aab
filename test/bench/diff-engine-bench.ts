import { applyOperations, type WorkflowDoc } from '../../src/diff-engine/index.ts';
import { diffOperations, diffWorkflowBody, equivalentPutBody } from './diff-fixtures.ts';
import { chainWorkflowBody } from './workflow-fixtures.ts';

const ROUNDS = 200;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * The engine alone (no HTTP, no database): a 50-operation batch on a 500-node workflow, and how much smaller a
 * 10-operation PATCH body is than the full PUT a client would otherwise send. Printed before the HTTP runs.
 */
export function reportDiffEngine() {
  const workflow = chainWorkflowBody(500, 'Engine bench');
  const doc: WorkflowDoc = {
    name: workflow.name,
    nodes: workflow.nodes as never,
    connections: workflow.connections as never,
    settings: workflow.settings,
    active: false,
    tags: [],
  };
  const names = workflow.nodes.map((n) => n.name);
  const operations = [
    ...names
      .slice(1, 31)
      .map((name, i) => ({ type: 'updateNode', nodeName: name, changes: { 'parameters.options.timeout': i, notes: 'x' } })),
    ...names.slice(31, 41).map((name, i) => ({ type: 'moveNode', nodeName: name, position: [i, i] })),
    ...Array.from({ length: 5 }, (_, i) => ({
      type: 'addNode',
      node: { name: `Added ${i}`, type: 'n8n-nodes-base.noOp', position: [0, 900 + i] },
    })),
    ...Array.from({ length: 5 }, (_, i) => ({ type: 'addConnection', source: names[i * 7 + 1], target: `Added ${i}` })),
  ];
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const result = applyOperations(doc, operations);
    times.push(performance.now() - started);
    if (!result.ok) throw new Error(`engine bench batch failed: ${JSON.stringify(result.errors)}`);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;

  const target = diffWorkflowBody();
  const patchBytes = Buffer.byteLength(JSON.stringify({ operations: diffOperations(target.nodes.map((n) => n.name)) }));
  const putBytes = Buffer.byteLength(JSON.stringify(equivalentPutBody(target)));
  const lines = [
    `diff engine: ${operations.length} operations on a ${workflow.nodes.length}-node workflow, ${ROUNDS} rounds`,
    `  mean ${mean.toFixed(2)} ms, p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms (goal < 5 ms: ${percentile(times, 50) < 5 ? 'met' : 'MISSED'})`,
    `request body: PATCH with 10 operations ${patchBytes} bytes vs the equivalent full PUT of 200 nodes ${putBytes} bytes: ${(100 * (1 - patchBytes / putBytes)).toFixed(1)}% smaller (goal >= 80%)`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}
