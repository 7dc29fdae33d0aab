import { z } from 'zod';
import { jsonQuery } from '../../lib/schemas.ts';
import type { Folder } from './folders.repository.ts';
import { FOLDER_ORDERS, type FolderFilter, type FolderOrder, PROJECT_ROOT } from './folders.repository.ts';

export const FolderSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    parentFolderId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Folder' });

export const FolderWithCountsSchema = FolderSchema.extend({ totalSubFolders: z.number().int(), totalWorkflows: z.number().int() });

/** `select` may keep some fields of each folder. */
const SELECTABLE = ['id', 'name', 'parentFolderId', 'createdAt', 'updatedAt'] as const;

export const FolderListSchema = z.object({ count: z.number().int(), data: z.array(FolderSchema.partial()) });

/** Folder queries' JSON parameters: short, named in their message. */
const folderJsonQuery = <T extends z.ZodType>(name: string, schema: T) =>
  jsonQuery(schema, { maxLength: 2000, message: `${name} must be JSON` });

const countQuery = (name: string, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().max(max))
    .optional()
    .transform((v) => v ?? fallback);

export const FolderListQuerySchema = z.object({
  filter: folderJsonQuery(
    'filter',
    z.strictObject({
      parentFolderId: z.string().max(64).optional().describe(`A folder's id, or "${PROJECT_ROOT}" for the project's top level`),
      name: z.string().max(128).optional(),
    }),
  )
    .optional()
    .describe('JSON: {"parentFolderId": "<id>" or "0", "name": "<part of the name>"}'),
  select: folderJsonQuery('select', z.array(z.enum(SELECTABLE)).min(1).max(SELECTABLE.length))
    .optional()
    .describe('JSON array of the fields to answer'),
  sortBy: z
    .enum(Object.keys(FOLDER_ORDERS) as [FolderOrder, ...FolderOrder[]])
    .optional()
    .transform((v) => v ?? 'updatedAt:desc'),
  skip: countQuery('skip', 1_000_000, 0),
  take: countQuery('take', 250, 250).describe('At most 250 (the default)'),
});

export const FolderParamsSchema = z.object({ projectId: z.string().min(1).max(64), folderId: z.string().min(1).max(64) });

const FolderName = z.string().trim().min(1).max(128);

export const CreateFolderBodySchema = z.strictObject({ name: FolderName, parentFolderId: z.string().min(1).max(64).optional() });

export const UpdateFolderBodySchema = z
  .strictObject({
    name: FolderName.optional(),
    parentFolderId: z.string().min(1).max(64).optional().describe(`"${PROJECT_ROOT}" moves it to the project's top level`),
  })
  .refine((body) => body.name !== undefined || body.parentFolderId !== undefined, 'request/body must have at least 1 property');

export const DeleteFolderQuerySchema = z.object({
  transferToFolderId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(`Move its content into this folder ("${PROJECT_ROOT}": the project's top level); without it, its workflows are archived`),
});

export function toFolderDto(folder: Folder): z.infer<typeof FolderSchema> {
  return {
    id: folder.id,
    name: folder.name,
    parentFolderId: folder.parentFolderId,
    createdAt: folder.createdAt.toISOString(),
    updatedAt: folder.updatedAt.toISOString(),
  };
}

export function pick(dto: z.infer<typeof FolderSchema>, fields: readonly (typeof SELECTABLE)[number][] | undefined) {
  return fields ? Object.fromEntries(fields.map((f) => [f, dto[f]])) : dto;
}

/** The list filter as the repository takes it ("0" is the top level). */
export const toFolderFilter = (filter: { parentFolderId?: string; name?: string } | undefined): FolderFilter => ({
  ...(filter?.parentFolderId !== undefined
    ? { parentFolderId: filter.parentFolderId === PROJECT_ROOT ? null : filter.parentFolderId }
    : {}),
  ...(filter?.name ? { name: filter.name } : {}),
});
