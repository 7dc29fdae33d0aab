import type { WebhookResponse } from '../../engine/node-types.ts';
import type { Item, WorkflowDefinition } from '../../engine/types.ts';
import type { BinaryDataService } from '../binary-data/binary-data.service.ts';
import type { ExecutionRunner, RunHandle } from '../executions/execution-runner.ts';
import type { ReceivedFile } from './webhook-body.ts';

/**
 * Starts the run an HTTP call (a webhook, a form submission) triggered, hands the files it uploaded to that
 * execution, and, when the workflow answers through Respond to Webhook, gives the promise of that answer.
 */
export async function startCalledRun(
  deps: { runner: Pick<ExecutionRunner, 'start'>; binaryData: Pick<BinaryDataService, 'adopt'> | undefined },
  call: { workflow: WorkflowDefinition; node: string; item: Item; files: ReceivedFile[]; answersThroughNode: boolean },
): Promise<{ run: RunHandle; nodeResponse: Promise<WebhookResponse> }> {
  let respond: (response: WebhookResponse) => void = () => {};
  const nodeResponse = new Promise<WebhookResponse>((resolve) => {
    respond = resolve;
  });
  const run = await deps.runner.start({
    workflow: call.workflow,
    mode: 'webhook',
    start: { node: call.node, items: [call.item] },
    ...(call.answersThroughNode ? { onResponse: (r: WebhookResponse) => respond(r) } : {}),
  });
  await deps.binaryData?.adopt(
    call.files.flatMap((file) => (file.id ? [file.id] : [])),
    String(run.id),
  );
  return { run, nodeResponse };
}
