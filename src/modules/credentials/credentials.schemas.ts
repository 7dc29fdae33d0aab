import { z } from 'zod';
import { LimitQuerySchema } from '../../lib/schemas.ts';

/** The metadata n8n 2.39 returns for a credential; the data never leaves the server. */
export const CredentialSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    isManaged: z.boolean(),
    isGlobal: z.boolean(),
    isResolvable: z.boolean(),
    resolvableAllowFallback: z.boolean(),
    resolverId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Credential' });

export const DeletedCredentialSchema = CredentialSchema.extend({
  usageScope: z.string(),
  usedBy: z.array(z.object({ id: z.string(), name: z.string() })).describe('Workflows whose nodes still reference this credential'),
  warnings: z.array(z.string()),
});

export const CredentialListSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      type: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
      shared: z.array(z.object({ id: z.string(), name: z.string(), role: z.string(), createdAt: z.string(), updatedAt: z.string() })),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const name = z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

export const CreateCredentialBodySchema = z.strictObject({
  name,
  type: z.string().min(1),
  data: z.record(z.string(), z.unknown()).describe('Must satisfy GET /credentials/schema/{type}'),
  projectId: z.string().optional().describe('Project to create it in (default: the owner’s personal project)'),
});

export const UpdateCredentialBodySchema = z.strictObject({
  name: name.optional(),
  type: z.string().optional().describe('Accepted for n8n compatibility; it cannot change'),
  data: z.record(z.string(), z.unknown()).optional(),
  replaceData: z
    .boolean()
    .default(false)
    .describe('true: `data` replaces the stored data; false (default): merged key by key, null removes a key'),
  isPartialData: z.boolean().optional().describe('n8n 2.x spelling: true means merge (the default here)'),
});

export const ListCredentialsQuerySchema = z.object({
  limit: LimitQuerySchema,
  cursor: z.string().optional(),
  type: z.string().optional(),
  name: z.string().optional().describe('Substring of the name (case-insensitive)'),
  projectId: z.string().optional(),
});

export const TransferCredentialBodySchema = z.strictObject({ destinationProjectId: z.string().min(1) });
export const CredentialTypeParamsSchema = z.object({ credentialTypeName: z.string().min(1).max(100) });

type CredentialRow = { id: string; name: string; type: string; createdAt: Date; updatedAt: Date };

export function toCredentialDto(row: CredentialRow): z.infer<typeof CredentialSchema> {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    isManaged: false,
    isGlobal: false,
    isResolvable: false,
    resolvableAllowFallback: false,
    resolverId: null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
