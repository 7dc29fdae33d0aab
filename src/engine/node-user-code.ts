import type { RunView } from './data-context.ts';
import { evaluateHere, type FastScope } from './expressions/fast-path.ts';
import { runMetadata } from './node-context.ts';
import type { CodeRequest } from './node-types.ts';
import { expressionsIn, ResolvedParameters } from './resolved-parameters.ts';
import type { EngineServices, RunRequest } from './run-workflow.ts';
import type { ExpressionOutcome } from './runner/protocol.ts';
import type { UserCodeRequest } from './runner/user-code-client.ts';
import type { Item, RunData, TaskSource, WorkflowDefinition, WorkflowNode } from './types.ts';
import { userCodeNodeError } from './user-code-errors.ts';
import { workflowTimezone } from './workflow-timezone.ts';

/** One node run as its user code (expressions, Code) sees it. */
export interface NodeRun extends RunRequest {
  node: WorkflowNode;
  source: (TaskSource | null)[];
  runIndex: number;
  runData: RunData;
  /** What `$input` shows: the node's input 0, whole even when executeOnce gives the node only its first item. */
  visibleInput?: Item[];
}

/** The execution as user code of the node sees it: the run so far, the node's input 0 and the run's metadata. */
function userCodeRequest(services: EngineServices, run: NodeRun, items: Item[]): UserCodeRequest {
  const { workflow } = run;
  return {
    executionId: run.executionId,
    workflow,
    runData: run.runData,
    node: run.node.name,
    runIndex: run.runIndex,
    items,
    source: run.source,
    meta: runMetadata({
      workflow,
      executionId: run.executionId,
      mode: run.mode,
      timezone: workflowTimezone(workflow.settings, services.defaultTimezone),
      now: services.now(),
      runIndex: run.runIndex,
      vars: run.vars ?? {},
      envAllowed: services.envAllowed,
    }),
    ...(services.envAllowed && services.env ? { env: services.env } : {}),
    signal: run.signal,
  };
}

/**
 * Every expression of the node's parameters for every item of its inputs, before the node runs. Expressions that
 * only read data are answered here (fast-path.ts); the rest go to a runner, all in one round trip. A node without
 * expressions costs nothing.
 */
export async function resolveParameters(services: EngineServices, run: NodeRun, inputs: Item[][]): Promise<ResolvedParameters> {
  const expressions = expressionsIn(run.node.parameters);
  if (!expressions.length) return ResolvedParameters.NONE;
  const items = run.visibleInput ?? inputs[0] ?? [];
  const itemCount = Math.max(1, ...inputs.map((input) => input.length));
  const request = userCodeRequest(services, run, items);
  const scope = fastScope(request, run.workflow, run.node);
  const outcomes: ExpressionOutcome[][] = [];
  const forRunner: number[] = [];
  expressions.forEach((expression, index) => {
    const here: ExpressionOutcome[] = [];
    for (let item = 0; item < itemCount; item++) {
      const outcome = evaluateHere(expression, item, scope);
      if (!outcome) {
        forRunner.push(index);
        return;
      }
      here.push(outcome);
    }
    outcomes[index] = here;
  });
  if (forRunner.length) {
    try {
      const remote = await services.userCode.evaluate({
        ...request,
        expressions: forRunner.map((index) => expressions[index]!),
        itemCount,
      });
      forRunner.forEach((index, position) => {
        outcomes[index] = remote[position] ?? [];
      });
    } catch (error) {
      throw userCodeNodeError(error, 'expression', services.limits);
    }
  }
  return new ResolvedParameters(expressions, outcomes);
}

/** A Code node's JavaScript, run by a runner. */
export async function runNodeCode(services: EngineServices, run: NodeRun, code: CodeRequest): Promise<unknown> {
  try {
    return await services.userCode.runCode({
      // Run once for all items sees the whole input, as `$input.all()` does (executeOnce included).
      ...userCodeRequest(services, run, code.mode === 'runOnceForAllItems' && run.visibleInput ? run.visibleInput : code.items),
      code: code.code,
      mode: code.mode,
      ...(code.itemIndex === undefined ? {} : { itemIndex: code.itemIndex }),
    });
  } catch (error) {
    throw userCodeNodeError(error, 'code', { itemIndex: code.itemIndex, ...services.limits });
  }
}

const nodeMaps = new WeakMap<WorkflowDefinition['nodes'], RunView['nodes']>();

/** The data the fast path reads, through the same data context the runners use; the run view only when needed. */
function fastScope(request: UserCodeRequest, workflow: WorkflowDefinition, node: WorkflowNode): FastScope {
  let view: RunView | undefined;
  return {
    items: request.items,
    meta: request.meta,
    view() {
      if (!view) {
        let nodes = nodeMaps.get(workflow.nodes);
        if (!nodes) {
          nodes = new Map(workflow.nodes.map((n) => [n.name, { parameters: n.parameters }]));
          nodeMaps.set(workflow.nodes, nodes);
        }
        view = {
          nodes,
          connections: workflow.connections,
          runData: request.runData,
          node: { name: node.name, parameters: node.parameters },
          items: request.items,
          source: request.source,
          ...(request.env ? { env: request.env } : {}),
        };
      }
      return view;
    },
  };
}
