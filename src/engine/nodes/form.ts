import type { NodeType } from '../node-types.ts';
import { FORM_TRIGGER_TYPE, FORM_TYPE } from '../triggers.ts';
import { startItems } from './start-items.ts';

/** n8n's "wait indefinitely": a form page waits until someone submits it (n8n's WAIT_INDEFINITELY date). */
export const FORM_WAIT_TILL = new Date('3000-01-01T00:00:00.000Z');

/**
 * Form Trigger. The HTTP side (serving the form at /form/<path>, reading the submission into n8n's item, the
 * response options) is the forms module; in the run the node emits the submission it was started with.
 */
export const formTriggerNode: NodeType = {
  type: FORM_TRIGGER_TYPE,
  typeVersions: [1, 2, 2.1, 2.2, 2.3, 2.4, 2.5],
  trigger: true,
  inputs: () => 0,
  execute: async (ctx) => [startItems(ctx)],
};

/**
 * Form node: `page` (the default) parks the run until the page is submitted at /form-waiting/<executionId> (the
 * forms module then resumes it with the submission as this node's output); `completion` records the end screen the
 * person sees, with its expressions resolved, and passes its items on.
 */
export const formNode: NodeType = {
  type: FORM_TYPE,
  typeVersions: [1, 2.3],
  operations: ['page', 'completion'],
  async execute(ctx) {
    if (ctx.getParam<string>('operation', 0, 'page') !== 'completion') return { waitTill: FORM_WAIT_TILL };
    const respondWith = ctx.getParam<string>('respondWith', 0, 'text');
    ctx.setMetadata('formCompletion', {
      respondWith,
      title: String(ctx.getParam('completionTitle', 0, '')),
      message: String(ctx.getParam('completionMessage', 0, '')),
      redirectUrl: String(ctx.getParam('redirectUrl', 0, '')),
      text: String(ctx.getParam('responseText', 0, '')),
    });
    return [ctx.items];
  },
};
