import { type CodeRequest, type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item } from '../types.ts';
import { itemFromEachItemResult, itemsFromAllItemsResult } from './code-output.ts';

/** n8n's Code node, JavaScript only: the code runs in the sandbox behind `ctx.runCode`, once or once per item. */
export const codeNode: NodeType = {
  type: 'n8n-nodes-base.code',
  async execute(ctx) {
    // language, mode and jsCode are noDataExpression in n8n: code that starts with "=" is still code.
    const language = ctx.getRawParam<string>('language', 'javaScript');
    if (language === 'python' || language === 'pythonNative') {
      throw new NodeOperationError('Python is not supported in Code nodes on this server', {
        description: "Only JavaScript runs here. Switch the Code node's language to JavaScript.",
      });
    }
    if (language !== 'javaScript') throw new NodeOperationError(`Unsupported Code node language: ${language}`);

    const code = ctx.getRawParam<string>('jsCode', '');
    if (typeof code !== 'string' || code.trim() === '') throw new NodeOperationError('No code to execute');

    const mode = ctx.getRawParam<string>('mode', 'runOnceForAllItems');
    if (mode === 'runOnceForAllItems') {
      const result = await runCode(ctx, { code, mode, items: ctx.items });
      return [itemsFromAllItemsResult(result, ctx.items.length)];
    }
    if (mode === 'runOnceForEachItem') {
      refuseWholeInputMethods(code);
      const output: Item[] = [];
      for (let itemIndex = 0; itemIndex < ctx.items.length; itemIndex++) {
        const result = await runCode(ctx, { code, mode, items: ctx.items, itemIndex });
        const item = itemFromEachItemResult(result, itemIndex);
        if (item) output.push(item);
      }
      return [output];
    }
    throw new NodeOperationError(`Unsupported Code node mode: ${mode}`);
  },
};

/**
 * n8n reads once-per-item code before running it and refuses `$input.first/last/all/itemMatching` there, naming
 * item 0 and the first line that mentions the method's name and does not start with `//` or `*` (a plain text
 * search, as n8n does it). A call the search misses is still refused when it runs (see the runner's `$input`).
 */
function refuseWholeInputMethods(code: string): void {
  const method = /\$input\.(first|last|all|itemMatching)/.exec(code)?.[1];
  if (method === undefined) return;
  const line = code.split('\n').findIndex((text) => text.includes(method) && !text.startsWith('//') && !text.startsWith('*')) + 1;
  if (line === 0) return;
  throw new NodeOperationError(`Can't use .${method}() here [line ${line}, for item 0]`, {
    description: "This is only available in 'Run Once for All Items' mode",
    itemIndex: 0,
  });
}

/** Sandbox failures become NodeOperationErrors, which keep their description and item in the run data. */
async function runCode(ctx: NodeContext, request: CodeRequest): Promise<unknown> {
  try {
    return await ctx.runCode(request);
  } catch (error) {
    if (ctx.signal.aborted || !(error instanceof Error) || error instanceof NodeOperationError) throw error;
    const description = (error as { description?: unknown }).description;
    throw new NodeOperationError(error.message, {
      description: typeof description === 'string' ? description : undefined,
      itemIndex: request.itemIndex,
    });
  }
}
