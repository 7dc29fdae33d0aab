import { inTransaction, type SqlPool } from '../../db/client.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import { projectsRepository } from '../projects/projects.repository.ts';
import type { Access } from '../roles/access.ts';
import type { Grant } from '../roles/grant.ts';
import { variablesRepository as repo, type Variable, type VariableVisibility } from './variables.repository.ts';

export type VariablesService = ReturnType<typeof createVariablesService>;

type Action = 'create' | 'read' | 'update' | 'delete' | 'list';

/**
 * n8n 2.x's two kinds of variable and their scopes: a global one needs `variable:<action>` from the global role
 * (members hold list and read); a project's needs `projectVariable:<action>`, globally (owner, admin) or by the
 * role in that project (its admins and editors write, viewers read).
 */
export function mayOnVariable(access: Access, projectId: string | null, action: Action): boolean {
  if (projectId === null) return access.globalScopes.has(`variable:${action}`);
  const scope = `projectVariable:${action}`;
  return access.globalScopes.has(scope) || !!access.projects.get(projectId)?.scopes.has(scope);
}

function visibility(access: Access): VariableVisibility {
  const globals = mayOnVariable(access, null, 'list');
  if (access.globalScopes.has('projectVariable:list')) return { globals, projectIds: undefined };
  return { globals, projectIds: [...access.projects.keys()].filter((id) => mayOnVariable(access, id, 'list')) };
}

const notFound = (id: string) => new NotFoundError(`Variable with ID "${id}" not found`);

/** n8n's rule for keys: letters, digits and underscores (they are read as `$vars.KEY`). */
const KEY_PATTERN = /^[A-Za-z0-9_]+$/;

function assertKey(key: string) {
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationError(`Variable key "${key}" may only contain letters, digits and underscores (it is read as $vars.${key})`);
  }
}

const taken = (key: string, projectId: string | null) =>
  new ConflictError(`A variable with key "${key}" already exists ${projectId ? `in project ${projectId}` : 'globally'}`);

/**
 * Variables: `$vars.KEY` in expressions and Code. Runs read them fresh from the database when they start (one
 * indexed read, only for workflows that use `$vars`), so every instance and worker sees a change at its next run.
 */
export function createVariablesService(deps: { sql: SqlPool }) {
  const { sql } = deps;

  /** A project variables may go in: one the caller may see (else "not found"), and may do `action` to variables of. */
  async function assertProject(projectId: string | null, access: Access, action: Action) {
    if (projectId !== null) {
      const project = await projectsRepository.findById(sql, projectId);
      if (!project || !(access.globalScopes.has('project:read') || access.projects.has(projectId))) {
        throw new NotFoundError(`Project with ID "${projectId}" not found`);
      }
    }
    if (!mayOnVariable(access, projectId, action)) {
      throw new ForbiddenError({
        reason: `The role of user ${access.email} does not allow ${action} of ${projectId ? 'this project’s' : 'global'} variables`,
      });
    }
  }

  /** A variable the caller may see; one they may not is "not found", one they see but may not change is a 403. */
  function admitTo(variable: Variable | null, id: string, access: Access, action: Action): Variable {
    if (!variable || !mayOnVariable(access, variable.projectId, 'read')) throw notFound(id);
    if (!mayOnVariable(access, variable.projectId, action)) throw new ForbiddenError();
    return variable;
  }

  return {
    list: (query: { limit: number; cursor?: string; projectId?: string; state?: 'empty' }, grant: Grant) =>
      fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) =>
        repo.list(sql, visibility(grant.access), { projectId: query.projectId, emptyOnly: query.state === 'empty' }, range),
      ),

    async create(input: { key: string; value: string; projectId?: string | null }, grant: Grant) {
      assertKey(input.key);
      const projectId = input.projectId ?? null;
      await assertProject(projectId, grant.access, 'create');
      const id = newId();
      if (!(await repo.insert(sql, { id, key: input.key, value: input.value, projectId }))) throw taken(input.key, projectId);
      const created = await repo.findById(sql, id);
      if (!created) throw notFound(id);
      return created;
    },

    /** n8n's PUT: key and value (and the project, which may change) replace the stored ones. */
    update: (id: string, input: { key: string; value: string; projectId?: string | null }, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        assertKey(input.key);
        const current = admitTo(await repo.lockById(tx, id), id, grant.access, 'update');
        const projectId = input.projectId === undefined ? current.projectId : input.projectId;
        if (projectId !== current.projectId) await assertProject(projectId, grant.access, 'create');
        if (!(await repo.update(tx, id, { key: input.key, value: input.value, projectId }))) throw taken(input.key, projectId);
      }),

    delete: (id: string, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        admitTo(await repo.lockById(tx, id), id, grant.access, 'delete');
        await repo.delete(tx, id);
      }),

    /** What `$vars` holds for a run of a workflow of `projectId`. */
    valuesFor: (projectId: string | undefined) => repo.valuesFor(sql, projectId),
  };
}
