import { z } from 'zod';

export const TagSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), updatedAt: z.string() }).meta({ id: 'Tag' });

export const TagListSchema = z.object({ data: z.array(TagSchema), nextCursor: z.string().nullable() });

/** n8n trims tag names and allows 1 to 24 characters. */
export const TagBodySchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(24, 'must be at most 24 characters'),
});

type TagRow = { id: string; name: string; createdAt: Date; updatedAt: Date };

export function toTagDto(tag: TagRow): z.infer<typeof TagSchema> {
  return { id: tag.id, name: tag.name, createdAt: tag.createdAt.toISOString(), updatedAt: tag.updatedAt.toISOString() };
}
