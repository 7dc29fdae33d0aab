import { z } from 'zod';
import { ERROR_CODE_NAMES } from './error-codes.ts';

/**
 * The one error body: n8n clients read `message`; `code` is stable and machine-readable (error-codes.ts);
 * `requestId` is the id the server logs the request under (also the `x-request-id` response header).
 */
export const ErrorSchema = z
  .object({
    message: z.string(),
    code: z.enum(ERROR_CODE_NAMES),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof ErrorSchema>;

/**
 * A whole-number query parameter read as n8n 2.39 reads `limit` and `offset`: with `parseInt`, so `1.5` is 1 and
 * `10abc` is 10; a text that does not start with a number and a negative number are a 400, in n8n's words.
 */
const integerQuery = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? Number.parseInt(v, 10) : fallback))
    .refine((v) => Number.isInteger(v), { message: `Param \`${name}\` must be a valid integer` })
    .refine((v) => v >= 0, { message: `Param \`${name}\` must be a non-negative integer` });

/**
 * n8n's page size: default 100, at most 250. n8n 2.39 answers `limit=0` with everything and clamps larger values;
 * we clamp both ends instead (0 means the largest page, 250), so no request can ask for an unbounded page.
 */
export const LimitQuerySchema = integerQuery('limit', 100)
  .transform((v) => (v === 0 ? 250 : Math.min(v, 250)))
  .describe('Page size, 1..250 (default 100); fractions are cut to a whole number, 0 and larger values are clamped');

/** n8n's `offset` (GET /workflows): rows to skip before the page, when no cursor is given. */
export const OffsetQuerySchema = integerQuery('offset', 0).describe('Rows to skip (default 0); a cursor overrides it');

/** n8n's list paging: `limit` and an opaque `cursor`. */
export const PaginationQuerySchema = z.object({
  limit: LimitQuerySchema,
  cursor: z.string().optional().describe('The nextCursor of the previous page'),
});

export const IdParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const isoDate = () => z.iso.datetime();

/**
 * A query parameter that carries JSON (n8n's `filter`, `select`): at most `maxLength` characters, parsed, then
 * checked by `schema`; text that is not JSON is refused with `message`.
 */
export const jsonQuery = <T extends z.ZodType>(schema: T, options: { maxLength: number; message: string }) =>
  z
    .string()
    .max(options.maxLength)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: options.message });
        return z.NEVER;
      }
    })
    .pipe(schema);
