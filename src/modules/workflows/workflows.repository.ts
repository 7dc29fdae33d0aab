import type { DbClient } from '../../db/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

const WITH_RELATIONS = { tags: { include: { tag: true } }, project: true } as const;

export interface WorkflowFilters {
  active?: boolean;
  name?: string;
  /** Tag ids the workflow must all carry (names already resolved). */
  tagIds?: string[];
  projectId?: string;
}

export interface Keyset {
  createdAt: Date;
  id: string;
}

function whereFor(filters: WorkflowFilters, after?: Keyset): Prisma.WorkflowWhereInput {
  const and: Prisma.WorkflowWhereInput[] = [];
  if (filters.active !== undefined) and.push({ active: filters.active });
  if (filters.name) and.push({ name: { contains: filters.name, mode: 'insensitive' } });
  if (filters.projectId) and.push({ projectId: filters.projectId });
  for (const tagId of filters.tagIds ?? []) and.push({ tags: { some: { tagId } } });
  // Keyset: strictly after the last row of the previous page in (createdAt DESC, id DESC) order, so rows
  // inserted or deleted meanwhile never shift a page.
  if (after) and.push({ OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] });
  return { AND: and };
}

export const workflowsRepository = {
  findById: (db: DbClient, id: string) => db.workflow.findUnique({ where: { id }, include: WITH_RELATIONS }),

  /** Row-locks the workflow for the rest of the transaction: concurrent writers queue instead of losing updates. */
  async lockById(tx: DbClient, id: string) {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM workflow WHERE id = ${id} FOR UPDATE`;
    return rows.length ? workflowsRepository.findById(tx, id) : null;
  },

  insertWithFirstVersion: (db: DbClient, data: Prisma.WorkflowUncheckedCreateInput) => db.workflow.create({ data }),

  update: (db: DbClient, id: string, data: Prisma.WorkflowUncheckedUpdateInput) =>
    db.workflow.update({ where: { id }, data, include: WITH_RELATIONS }),

  delete: (db: DbClient, id: string) => db.workflow.delete({ where: { id } }),

  list: (db: DbClient, filters: WorkflowFilters, page: { offset?: number; after?: Keyset; take: number }) =>
    db.workflow.findMany({
      where: whereFor(filters, page.after),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: page.offset,
      take: page.take,
      omit: { description: true, versionCounter: true },
      include: { tags: { include: { tag: true } } },
    }),

  replaceTags: async (tx: DbClient, workflowId: string, tagIds: string[]) => {
    await tx.workflowTag.deleteMany({ where: { workflowId } });
    if (tagIds.length) await tx.workflowTag.createMany({ data: tagIds.map((tagId) => ({ workflowId, tagId })) });
  },

  insertVersion: (db: DbClient, data: Prisma.WorkflowVersionUncheckedCreateInput) => db.workflowVersion.create({ data }),

  insertPublishEvent: (db: DbClient, data: { workflowId: string; versionId: string; event: 'activated' | 'deactivated'; userId: string }) =>
    db.workflowPublishEvent.create({ data }),

  publishEvents: (db: DbClient, workflowId: string, versionId: string) =>
    db.workflowPublishEvent.findMany({ where: { workflowId, versionId }, orderBy: { id: 'asc' } }),

  findVersion: (db: DbClient, workflowId: string, versionId: string) => db.workflowVersion.findFirst({ where: { workflowId, versionId } }),

  listVersions: (db: DbClient, workflowId: string, range: { offset: number; take: number }) =>
    db.workflowVersion.findMany({
      where: { workflowId },
      orderBy: [{ createdAt: 'desc' }, { counter: 'desc' }],
      skip: range.offset,
      take: range.take,
      omit: { snapshot: true },
    }),
};
