import { ExpressionError } from './expressions/expression-error.ts';
import { CodeCanceledError, CodeExecutionError, CodeMemoryLimitError, CodeTimeoutError } from './runner/code-errors.ts';
import { UserCodeError } from './runner/user-code-client.ts';

/**
 * A runner's answer about user code that failed as a whole, as the error of the node: the same classes and messages
 * whether the code ran in this process before or in a runner now.
 */
export function userCodeNodeError(
  error: unknown,
  what: 'code' | 'expression',
  context: { itemIndex?: number; codeTimeoutMs: number; memoryLimitMb: number },
): unknown {
  if (!(error instanceof UserCodeError)) return error;
  const { failure } = error;
  switch (failure.kind) {
    case 'canceled':
      return new CodeCanceledError();
    case 'timeout':
      return what === 'code' ? new CodeTimeoutError(context.codeTimeoutMs) : new ExpressionError(failure.message, '');
    case 'memory':
      return what === 'code'
        ? new CodeMemoryLimitError(context.memoryLimitMb)
        : new ExpressionError('Expression used too much memory and was stopped', '');
    case 'crashed':
      return Object.assign(new Error(`${what === 'code' ? 'Code node' : 'Expression'}: ${failure.message}`), {
        description:
          'The runner process was replaced; other executions were not affected. Use less memory in this node, or process the data in smaller batches.',
      });
    default:
      return what === 'code'
        ? new CodeExecutionError(
            { name: failure.name, message: failure.message, stack: failure.stack, description: failure.description },
            { lineNumber: failure.lineNumber, itemIndex: context.itemIndex },
          )
        : new ExpressionError(failure.message, '');
  }
}
