import { z } from 'zod';

/** The one error body: n8n clients read `message`; `code` is stable and machine-readable. */
export const ErrorSchema = z
  .object({
    message: z.string(),
    code: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof ErrorSchema>;

/** n8n's list paging: `limit` (default 100, at most 250) and an opaque `cursor`. */
export const PaginationQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .optional()
    .transform((v) => Math.min(Math.max(v ?? 100, 1), 250))
    .describe('Page size; values are clamped to 1..250 (default 100)'),
  cursor: z.string().optional().describe('The nextCursor of the previous page'),
});

export const IdParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const isoDate = () => z.iso.datetime();
