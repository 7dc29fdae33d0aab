import { z } from 'zod';
import { PaginationQuerySchema } from '../../lib/schemas.ts';
import type { Variable } from './variables.repository.ts';

export const VariableSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    type: z.string(),
    value: z.string(),
    project: z.object({ id: z.string(), name: z.string(), type: z.string() }).optional().describe('Absent for a global variable'),
  })
  .meta({ id: 'Variable' });

export const VariableListSchema = z.object({ data: z.array(VariableSchema), nextCursor: z.string().nullable() });

export const VariableListQuerySchema = PaginationQuerySchema.extend({
  projectId: z.string().max(64).optional().describe('Only the variables of this project'),
  state: z.enum(['empty']).optional().describe('`empty`: only variables whose value is empty'),
});

/** n8n's variable.create: key (at most 50 characters) and value (at most 1000), optionally of a project. */
export const VariableBodySchema = z.strictObject({
  key: z.string().min(1).max(50),
  value: z.string().max(1000),
  projectId: z.string().max(64).nullish().describe('The project the variable belongs to; absent or null for a global one'),
});

export function toVariableDto(variable: Variable): z.infer<typeof VariableSchema> {
  return {
    id: variable.id,
    key: variable.key,
    type: variable.type,
    value: variable.value,
    ...(variable.project ? { project: variable.project } : {}),
  };
}
