import { z } from 'zod';
import { displayKeyHint } from './api-keys.crypto.ts';
import { isGrantableScope } from './scopes.ts';

export const ApiKeySchema = z
  .object({
    id: z.string(),
    label: z.string(),
    scopes: z.array(z.string()),
    userId: z.string().describe('The user the key acts as: it may do what both its scopes and that user’s roles allow'),
    keyHint: z.string().describe('The last characters of the key, to tell keys apart'),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().describe('Updated at most once a minute'),
    revokedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ApiKey' });

export const CreatedApiKeySchema = ApiKeySchema.extend({
  apiKey: z.string().describe('The key itself. It is shown only in this response; store it now.'),
}).meta({ id: 'CreatedApiKey' });

export const ApiKeyListSchema = z.object({ data: z.array(ApiKeySchema), nextCursor: z.string().nullable() });

export const CreateApiKeyBodySchema = z.strictObject({
  label: z.string().trim().min(1).max(100),
  scopes: z.array(z.string().refine(isGrantableScope, { message: 'is not a known scope (for example workflow:read, tag:* or *)' })).min(1),
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(
      'ISO 8601 time after which the key stops working. No later than the calling key’s own expiry, which is also the default when the calling key expires',
    ),
});

type ApiKeyRow = {
  id: string;
  label: string;
  scopes: string[];
  userId: string;
  keyHint: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export function toApiKeyDto(row: ApiKeyRow): z.infer<typeof ApiKeySchema> {
  return {
    id: row.id,
    label: row.label,
    scopes: row.scopes,
    userId: row.userId,
    keyHint: displayKeyHint(row.keyHint),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
