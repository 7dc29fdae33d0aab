import type { DbClient } from '../../db/client.ts';

export const tagsRepository = {
  list: (db: DbClient, range: { offset: number; take: number }) =>
    db.tag.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: range.offset, take: range.take }),
  findById: (db: DbClient, id: string) => db.tag.findUnique({ where: { id } }),
  findByIds: (db: DbClient, ids: string[]) => db.tag.findMany({ where: { id: { in: ids } } }),
  findByNames: (db: DbClient, names: string[]) => db.tag.findMany({ where: { name: { in: names } } }),
  insert: (db: DbClient, tag: { id: string; name: string }) => db.tag.create({ data: tag }),
  rename: (db: DbClient, id: string, name: string) => db.tag.update({ where: { id }, data: { name } }),
  delete: (db: DbClient, id: string) => db.tag.delete({ where: { id } }),
};
