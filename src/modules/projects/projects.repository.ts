import type { DbClient } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';

export const DEFAULT_PROJECT_NAME = 'Owner <owner@flowgate.local>';

export const projectsRepository = {
  findById: (db: DbClient, id: string) => db.project.findUnique({ where: { id } }),

  /**
   * The owner's personal project, created on first use. The advisory lock makes concurrent first calls (several
   * instances booting) agree on one project.
   */
  async ensureDefault(db: DbClient) {
    const existing = await db.project.findFirst({ where: { type: 'personal' }, orderBy: { createdAt: 'asc' } });
    if (existing) return existing;
    await db.$executeRaw`SELECT pg_advisory_xact_lock(1718382446)`;
    return (
      (await db.project.findFirst({ where: { type: 'personal' }, orderBy: { createdAt: 'asc' } })) ??
      (await db.project.create({ data: { id: newId(), name: DEFAULT_PROJECT_NAME, type: 'personal' } }))
    );
  },
};
