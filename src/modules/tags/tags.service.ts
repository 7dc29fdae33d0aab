import type { PrismaClient } from '../../db/client.ts';
import { isUniqueViolation } from '../../lib/database-errors.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import { tagsRepository as repo } from './tags.repository.ts';

export type TagsService = ReturnType<typeof createTagsService>;

const TAG_EXISTS = 'Tag already exists';

export function createTagsService(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;

  async function mustFind(id: string) {
    const tag = await repo.findById(prisma, id);
    if (!tag) throw new NotFoundError();
    return tag;
  }

  return {
    list: (query: { limit: number; cursor?: string }) =>
      fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) => repo.list(prisma, range)),

    get: mustFind,

    async create(name: string) {
      return repo.insert(prisma, { id: newId(), name }).catch((err: unknown) => {
        throw isUniqueViolation(err) ? new ConflictError(TAG_EXISTS) : err;
      });
    },

    async rename(id: string, name: string) {
      await mustFind(id);
      return repo.rename(prisma, id, name).catch((err: unknown) => {
        throw isUniqueViolation(err) ? new ConflictError(TAG_EXISTS) : err;
      });
    },

    async delete(id: string) {
      const tag = await mustFind(id);
      await repo.delete(prisma, id);
      return tag;
    },
  };
}
