/** An expression that failed: its message (as user code threw it, or the limit it hit) and the expression itself. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly expression: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}
