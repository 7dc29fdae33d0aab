import type { SqlClient } from '../../db/client.ts';
import { isUniqueViolation } from '../../lib/database-errors.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import { tagsRepository as repo } from './tags.repository.ts';

export type TagsService = ReturnType<typeof createTagsService>;

const TAG_EXISTS = 'Tag already exists';

const nameTaken = (err: unknown): never => {
  throw isUniqueViolation(err) ? new ConflictError(TAG_EXISTS) : err;
};

export function createTagsService(deps: { sql: SqlClient }) {
  const { sql } = deps;

  async function mustFind(id: string) {
    const tag = await repo.findById(sql, id);
    if (!tag) throw new NotFoundError();
    return tag;
  }

  return {
    list: (query: { limit: number; cursor?: string }) =>
      fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) => repo.list(sql, range)),

    get: mustFind,

    create: (name: string) => repo.insert(sql, { id: newId(), name }).catch(nameTaken),

    async rename(id: string, name: string) {
      await mustFind(id);
      const renamed = await repo.rename(sql, id, name).catch(nameTaken);
      // Deleted since the check: the same 404 as an unknown id.
      if (!renamed) throw new NotFoundError();
      return renamed;
    },

    async delete(id: string) {
      const tag = await mustFind(id);
      if (!(await repo.delete(sql, id))) throw new NotFoundError();
      return tag;
    },
  };
}
