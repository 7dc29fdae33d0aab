import { describe, expect, it } from 'vitest';
import { countTriggers, isTriggerNode } from '../../engine/triggers.ts';
import type { WorkflowNode } from '../../workflow-model/index.ts';
import { findStructureProblems } from './workflow-structure.ts';

const node = (name: string, type = 'n8n-nodes-base.set', extra: Partial<WorkflowNode> = {}): WorkflowNode => ({
  name,
  type,
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
  ...extra,
});

describe('findStructureProblems', () => {
  it('accepts a consistent workflow', () => {
    const nodes = [node('A'), node('B')];
    expect(findStructureProblems(nodes, { A: { main: [[{ node: 'B', type: 'main', index: 0 }], null] } })).toEqual([]);
  });

  it('names duplicate node names', () => {
    const problems = findStructureProblems([node('A'), node('A')], {});
    expect(problems.map((p) => p.path)).toEqual(['request/body/nodes/1/name']);
    expect(problems[0]?.message).toMatch(/duplicate node name "A"/);
  });

  it('names duplicate node ids, which n8n 2.39 refuses, and allows nodes without an id', () => {
    const problems = findStructureProblems(
      [node('A', undefined, { id: 'x' }), node('B', undefined, { id: 'x' }), node('C'), node('D')],
      {},
    );
    expect(problems).toEqual([
      { path: 'request/body/nodes/1/id', message: expect.stringMatching(/node "B" has the id "x" of node "A": node ids must be unique/) },
    ]);
  });

  it('names connections from and to missing nodes, with their path', () => {
    const problems = findStructureProblems([node('A')], {
      A: { main: [[{ node: 'Ghost', type: 'main', index: 0 }]] },
      Phantom: { main: [[{ node: 'A', type: 'main', index: 0 }]] },
    });
    expect(problems).toEqual([
      { path: 'request/body/connections/Phantom', message: expect.stringMatching(/come from node "Phantom", which is not in nodes/) },
      { path: 'request/body/connections/A/main/0/0', message: expect.stringMatching(/goes to node "Ghost", which is not in nodes/) },
    ]);
  });

  it('reads the well-formed part of a connection map stored as sent (n8n stores any object)', () => {
    const nodes = [node('A'), node('B')];
    const odd = {
      A: { main: [{ node: 'B', type: 'main', index: 0 }, 'x', [{ node: 'B' }, { node: 'B', type: 'main', index: 0 }]] },
      B: 'text',
    };
    expect(findStructureProblems(nodes, odd)).toEqual([]);
    const problems = findStructureProblems(nodes, { A: { main: [null, [{ bad: true }, { node: 'Ghost', type: 'main', index: 0 }]] } });
    expect(problems.map((p) => p.path)).toEqual(['request/body/connections/A/main/1/1']);
  });

  it('bounds output and input indexes at 1000', () => {
    const nodes = [node('A'), node('B')];
    expect(findStructureProblems(nodes, { A: { main: [[{ node: 'B', type: 'main', index: 1000 }]] } })).toEqual([]);
    const [problem] = findStructureProblems(nodes, { A: { main: [[{ node: 'B', type: 'main', index: 1_000_000_000 }]] } });
    expect(problem?.message).toMatch(/indexes are at most 1000/);
  });

  it('uses the given base path (the diff engine reports against its own document)', () => {
    expect(findStructureProblems([node('A'), node('A')], {}, 'workflow')[0]?.path).toBe('workflow/nodes/1/name');
  });
});

describe('triggers', () => {
  it.each([
    ['n8n-nodes-base.webhook', true],
    ['n8n-nodes-base.scheduleTrigger', true],
    ['n8n-nodes-base.manualTrigger', false],
    ['@n8n/n8n-nodes-langchain.manualChatTrigger', false],
    ['n8n-nodes-base.errorTrigger', false],
    ['n8n-nodes-base.executeWorkflowTrigger', false],
    ['n8n-nodes-base.formTrigger', true],
    ['@n8n/n8n-nodes-langchain.chatTrigger', true],
    ['n8n-nodes-base.cron', true],
    ['n8n-nodes-base.interval', true],
    ['n8n-nodes-base.start', false],
    ['n8n-nodes-base.set', false],
    ['n8n-nodes-base.httpRequest', false],
  ])('%s is a trigger: %s', (type, expected) => {
    expect(isTriggerNode({ type })).toBe(expected);
  });

  it('does not count disabled triggers', () => {
    expect(countTriggers([node('W', 'n8n-nodes-base.webhook'), node('S', 'n8n-nodes-base.scheduleTrigger', { disabled: true })])).toBe(1);
  });
});
