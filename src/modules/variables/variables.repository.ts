import type { SqlClient } from '../../db/client.ts';

/** n8n's variable: global (projectId null) or of one project. */
export interface Variable {
  id: string;
  key: string;
  type: string;
  value: string;
  projectId: string | null;
  /** The project's id, name and type, for answers; null for a global variable. */
  project: { id: string; name: string; type: string } | null;
}

interface VariableRow {
  id: string;
  key: string;
  type: string;
  value: string;
  project_id: string | null;
  project_name: string | null;
  project_type: string | null;
}

const SELECT = `SELECT v.id, v.key, v.type, v.value, v.project_id, p.name AS project_name, p.type AS project_type
  FROM variable v LEFT JOIN project p ON p.id = v.project_id`;

const toVariable = (row: VariableRow): Variable => ({
  id: row.id,
  key: row.key,
  type: row.type,
  value: row.value,
  projectId: row.project_id,
  project: row.project_id ? { id: row.project_id, name: row.project_name ?? '', type: row.project_type ?? 'team' } : null,
});

/** Which variables a list may show: globals or not, and the projects whose variables it may show (undefined: all). */
export interface VariableVisibility {
  globals: boolean;
  projectIds: string[] | undefined;
}

export const variablesRepository = {
  async list(
    db: SqlClient,
    visible: VariableVisibility,
    filter: { projectId?: string; emptyOnly?: boolean },
    range: { offset: number; take: number },
  ): Promise<Variable[]> {
    const { rows } = await db.query<VariableRow>(
      `${SELECT}
       WHERE (($1::boolean AND v.project_id IS NULL) OR (v.project_id IS NOT NULL AND ($2::varchar[] IS NULL OR v.project_id = ANY($2))))
         AND ($3::varchar IS NULL OR v.project_id = $3) AND (NOT $4::boolean OR v.value = '')
       ORDER BY v.created_at, v.id LIMIT $5 OFFSET $6`,
      [visible.globals, visible.projectIds ?? null, filter.projectId ?? null, filter.emptyOnly ?? false, range.take, range.offset],
    );
    return rows.map(toVariable);
  },

  async findById(db: SqlClient, id: string): Promise<Variable | null> {
    const { rows } = await db.query<VariableRow>(`${SELECT} WHERE v.id = $1`, [id]);
    return rows[0] ? toVariable(rows[0]) : null;
  },

  /** Locks the variable for the transaction; null when there is none. */
  async lockById(tx: SqlClient, id: string): Promise<Variable | null> {
    const { rows } = await tx.query<VariableRow>(`${SELECT} WHERE v.id = $1 FOR UPDATE OF v`, [id]);
    return rows[0] ? toVariable(rows[0]) : null;
  },

  /** Inserts a variable; false when its key is taken where it would live (the partial unique indexes). */
  async insert(db: SqlClient, variable: { id: string; key: string; value: string; projectId: string | null }): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO variable (id, key, value, project_id, updated_at) VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING`,
      [variable.id, variable.key, variable.value, variable.projectId],
    );
    return rowCount === 1;
  },

  /** Changes a variable; false when the new key is taken where it would live. */
  async update(tx: SqlClient, id: string, change: { key: string; value: string; projectId: string | null }): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE variable SET key = $2, value = $3, project_id = $4, updated_at = now() WHERE id = $1
       AND NOT EXISTS (SELECT 1 FROM variable o WHERE o.id <> $1 AND o.key = $2 AND o.project_id IS NOT DISTINCT FROM $4)`,
      [id, change.key, change.value, change.projectId],
    );
    return rowCount === 1;
  },

  async delete(tx: SqlClient, id: string): Promise<void> {
    await tx.query('DELETE FROM variable WHERE id = $1', [id]);
  },

  /** What `$vars` holds in a project: its own variables over the global ones of the same key (one indexed read). */
  async valuesFor(db: SqlClient, projectId: string | undefined): Promise<Record<string, string>> {
    const { rows } = await db.query<{ key: string; value: string }>({
      name: 'flowgate_variables_for_project',
      text: `SELECT key, value FROM variable WHERE project_id IS NULL OR project_id = $1 ORDER BY (project_id IS NOT NULL)`,
      values: [projectId ?? null],
    });
    const values: Record<string, string> = {};
    for (const row of rows) values[row.key] = row.value;
    return values;
  },
};
