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

/**
 * n8n's page size: default 100, at most 250. n8n 2.39 answers `limit=0` with everything and clamps larger values;
 * we clamp both ends instead (0 or less means the largest page, 250), so no request can ask for an unbounded page.
 */
export const LimitQuerySchema = z.coerce
  .number()
  .int()
  .optional()
  .transform((v) => (v === undefined ? 100 : v < 1 ? 250 : Math.min(v, 250)))
  .describe('Page size, 1..250 (default 100); 0 and larger values are clamped');

/** n8n's list paging: `limit` and an opaque `cursor`. */
export const PaginationQuerySchema = z.object({
  limit: LimitQuerySchema,
  cursor: z.string().optional().describe('The nextCursor of the previous page'),
});

export const IdParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const isoDate = () => z.iso.datetime();
