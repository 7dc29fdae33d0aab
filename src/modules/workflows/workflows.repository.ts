import type { DbClient } from '../../db/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

const WITH_RELATIONS = { tags: { include: { tag: true } }, project: true } as const;

export const workflowsRepository = {
  findById: (db: DbClient, id: string) => db.workflow.findUnique({ where: { id }, include: WITH_RELATIONS }),

  /** Row-locks the workflow for the rest of the transaction: concurrent writers queue instead of losing updates. */
  async lockById(tx: DbClient, id: string) {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM workflow WHERE id = ${id} FOR UPDATE`;
    return rows.length ? workflowsRepository.findById(tx, id) : null;
  },

  update: (db: DbClient, id: string, data: Prisma.WorkflowUncheckedUpdateInput) =>
    db.workflow.update({ where: { id }, data, include: WITH_RELATIONS }),

  delete: (db: DbClient, id: string) => db.workflow.delete({ where: { id } }),

  replaceTags: async (tx: DbClient, workflowId: string, tagIds: string[]) => {
    await tx.workflowTag.deleteMany({ where: { workflowId } });
    if (tagIds.length) await tx.workflowTag.createMany({ data: tagIds.map((tagId) => ({ workflowId, tagId })) });
  },

  insertPublishEvent: (db: DbClient, data: { workflowId: string; versionId: string; event: 'activated' | 'deactivated'; userId: string }) =>
    db.workflowPublishEvent.create({ data }),

  findVersion: (db: DbClient, workflowId: string, versionId: string) => db.workflowVersion.findFirst({ where: { workflowId, versionId } }),

  listVersions: (db: DbClient, workflowId: string, range: { offset: number; take: number }) =>
    db.workflowVersion.findMany({
      where: { workflowId },
      orderBy: [{ counter: 'desc' }, { createdAt: 'desc' }],
      skip: range.offset,
      take: range.take,
      omit: { snapshot: true },
    }),
};
