/** Errors of the Code node. Their stacks never show host frames: only the user code and the bootstrap. */

/** What a runner reports about an error thrown in user code (see describeThrown in isolate/bootstrap/code-node.js). */
export interface ThrownInSandbox {
  name?: string;
  message?: string;
  stack?: string;
  description?: string;
}

/**
 * The user's code threw (or did not compile). The message ends with n8n's ` [line N]` when the line is known, in
 * both modes: n8n's JS task runner builds this error without the item index, so once-per-item runs say
 * `boom [line 1]`, not `boom [line 1, for item 0]` (the item stays in `itemIndex`). Without a line the message
 * is the thrown one as it is.
 */
export class CodeExecutionError extends Error {
  description?: string;
  lineNumber?: number;
  itemIndex?: number;

  constructor(thrown: ThrownInSandbox, location: { lineNumber?: number; itemIndex?: number } = {}) {
    const { lineNumber, itemIndex } = location;
    super(`${thrown.message || 'Unknown error'}${lineNumber === undefined ? '' : ` [line ${lineNumber}]`}`);
    this.name = 'CodeExecutionError';
    this.lineNumber = lineNumber;
    this.itemIndex = itemIndex;
    const errorType = thrown.name && thrown.name !== 'Error' ? thrown.name : undefined;
    this.description = thrown.description ?? errorType;
    Object.defineProperty(this, 'stack', { value: thrown.stack || `${errorType ?? 'Error'}: ${thrown.message}` });
  }
}

/** The line of the first stack frame in the user's code: where the error surfaced, as n8n reports it. */
export function findUserLine(stack: string, userCodeFile: string, lineCount: number): number | undefined {
  const frame = new RegExp(`${escapeRegExp(userCodeFile)}:(\\d+)`);
  for (const line of stack.split('\n').slice(1)) {
    const match = frame.exec(line);
    if (!match) continue;
    const lineNumber = Number(match[1]);
    // The wrapper's closing line follows the user's last line; a frame there says nothing about the user's code.
    if (lineNumber >= 1 && lineNumber <= lineCount) return lineNumber;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class CodeTimeoutError extends Error {
  description: string;
  constructor(timeoutMs: number) {
    const seconds = timeoutMs / 1000;
    super(`Task execution timed out after ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`);
    this.name = 'CodeTimeoutError';
    this.description =
      'The code ran longer than allowed, so it was stopped. Make sure every path in the code ends (no endless loops or promises that never settle), or process the data in smaller batches.';
  }
}

export class CodeMemoryLimitError extends Error {
  description: string;
  constructor(memoryLimitMb: number) {
    super(`Code execution ran out of memory (limit: ${memoryLimitMb} MB)`);
    this.name = 'CodeMemoryLimitError';
    this.description = 'The code used more memory than allowed, so it was stopped. Process the data in smaller batches.';
  }
}

export class CodeCanceledError extends Error {
  constructor() {
    super('The execution was canceled');
    this.name = 'CodeCanceledError';
  }
}
