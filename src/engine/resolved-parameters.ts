import { ExpressionError } from './expressions/expression-error.ts';
import { isPlainText, parseTemplate } from './expressions/template.ts';
import { isExpression } from './parameters.ts';
import type { ExpressionOutcome } from './runner/protocol.ts';

/**
 * A node's expressions, resolved before the node runs: every expression of its parameters for every item, in one
 * round trip to a runner, so that node code reads parameters synchronously and never evaluates user input itself.
 * An expression that failed throws when (and only when) the node reads it, as n8n's lazy evaluation would.
 */
export class ResolvedParameters {
  static readonly NONE = new ResolvedParameters([], []);

  private readonly byExpression: Map<string, ExpressionOutcome[]>;

  constructor(expressions: string[], outcomes: ExpressionOutcome[][]) {
    this.byExpression = new Map(expressions.map((expression, index) => [expression, outcomes[index] ?? []]));
  }

  value(expression: string, itemIndex: number): unknown {
    const segments = parseTemplate(expression);
    if (isPlainText(segments)) return segments.join('');
    const outcome = this.byExpression.get(expression)?.[itemIndex];
    if (!outcome) throw new ExpressionError(`The expression was not resolved for item ${itemIndex}`, expression);
    if (!outcome.ok) throw new ExpressionError(outcome.error, expression);
    return outcome.value;
  }
}

/** The distinct expressions in a parameter tree that need user code (plain `=text` needs none). */
export function expressionsIn(value: unknown, found = new Set<string>()): string[] {
  if (isExpression(value)) {
    if (!isPlainText(parseTemplate(value))) found.add(value);
  } else if (Array.isArray(value)) {
    for (const entry of value) expressionsIn(entry, found);
  } else if (value !== null && typeof value === 'object') {
    for (const entry of Object.values(value)) expressionsIn(entry, found);
  }
  return [...found];
}
