import type { SqlClient } from '../../db/client.ts';
import { ValidationError } from '../../lib/errors.ts';
import { credentialsRepository } from './credentials.repository.ts';

type NodeWithCredentials = { name: string; disabled?: boolean; credentials?: Record<string, { id: string | null; name: string }> };

/**
 * A node's `credentials: { <type>: { id, name } }` must point at an existing credential of that type. References
 * with `id: null` are unresolved placeholders, which n8n allows; disabled nodes are skipped, as n8n does.
 */
export async function assertCredentialReferences(sql: SqlClient, nodes: readonly NodeWithCredentials[]) {
  const refs = nodes.flatMap((node, index) =>
    node.disabled
      ? []
      : Object.entries(node.credentials ?? {}).flatMap(([type, ref]) => (ref?.id ? [{ node, index, type, id: ref.id }] : [])),
  );
  if (!refs.length) return;
  const types = await credentialsRepository.typesOf(sql, [...new Set(refs.map((r) => r.id))]);
  for (const ref of refs) {
    const stored = types.get(ref.id);
    const where = `request/body/nodes/${ref.index}/credentials/${ref.type}`;
    if (!stored)
      throw new ValidationError(
        `${where}: node "${ref.node.name}" uses credential "${ref.id}", which does not exist. Create it (POST /credentials) or fix the id.`,
      );
    if (stored !== ref.type) {
      throw new ValidationError(
        `${where}: node "${ref.node.name}" uses credential "${ref.id}" as ${ref.type}, but it is a ${stored} credential.`,
      );
    }
  }
}
