import type { SqlClient } from '../../db/client.ts';
import { ValidationError } from '../../lib/errors.ts';
import { credentialsRepository } from './credentials.repository.ts';

type NodeWithCredentials = { name: string; disabled?: boolean; credentials?: Record<string, unknown> };

/** The id a node's credential entry points at: `{ id, name }` today; `{ name }` or a bare name in older exports. */
export function credentialIdOf(entry: unknown): string | undefined {
  const id = (entry as { id?: unknown } | null)?.id;
  return typeof entry === 'object' && typeof id === 'string' && id !== '' ? id : undefined;
}

/** The name a node's credential entry carries, for references without an id. */
export function credentialNameOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry || undefined;
  const name = (entry as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * A node may point at a credential this server does not have: every shared or exported workflow does (the ids
 * belong to the author's instance), and n8n saves such workflows unchanged; the run that reaches the node says
 * what to fix. A reference to a credential that exists must fit: the type the node uses it as, and the
 * workflow's own project. Disabled nodes are skipped, as n8n does. With `indexes`, only those nodes are checked
 * (an edit's touched nodes: the others were checked when they were saved).
 */
export async function assertCredentialReferences(
  sql: SqlClient,
  nodes: readonly NodeWithCredentials[],
  projectId: string,
  indexes: readonly number[] = nodes.map((_, index) => index),
) {
  const refs = indexes.flatMap((index) => {
    const node = nodes[index];
    return !node || node.disabled
      ? []
      : Object.entries(node.credentials ?? {}).flatMap(([type, entry]) => {
          const id = credentialIdOf(entry);
          return id ? [{ node, index, type, id }] : [];
        });
  });
  if (!refs.length) return;
  const owners = await credentialsRepository.ownersOf(sql, [...new Set(refs.map((r) => r.id))]);
  for (const ref of refs) {
    const stored = owners.get(ref.id);
    if (!stored) continue;
    const where = `request/body/nodes/${ref.index}/credentials/${ref.type}`;
    if (stored.type !== ref.type) {
      throw new ValidationError(
        `${where}: node "${ref.node.name}" uses credential "${ref.id}" as ${ref.type}, but it is a ${stored.type} credential. Point the node at a ${ref.type} credential.`,
      );
    }
    if (stored.projectId !== projectId) {
      throw new ValidationError(
        `${where}: node "${ref.node.name}" uses credential "${ref.id}", which belongs to another project. Use a credential of this workflow's project, or move the credential here (PUT /credentials/${ref.id}/transfer).`,
      );
    }
  }
}
