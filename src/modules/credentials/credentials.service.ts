import { inTransaction, type SqlPool } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import type { ProjectsService } from '../projects/projects.service.ts';
import { admit, type Grant, projectFilterOf } from '../roles/grant.ts';
import { credentialIdOf, credentialNameOf } from './credential-references.ts';
import { type CredentialTestNetwork, testCredential } from './credential-tests.ts';
import { credentialJsonSchema, getCredentialType, validateCredentialData } from './credential-types.ts';
import { DecryptionError, decryptData, type EncryptionKey, encryptData, encryptionKey } from './credentials.crypto.ts';
import { createOAuth2Flow } from './credentials.oauth2.ts';
import { type CredentialFilters, credentialsRepository as repo } from './credentials.repository.ts';

export type CredentialsService = ReturnType<typeof createCredentialsService>;

const hidden = (): never => {
  throw new NotFoundError();
};

/** Admits a request to a credential of `projectId`; one its user may not see is answered as missing. */
const admitToCredential = (grant: Grant, projectId: string) => admit(grant, projectId, 'credential:read', hidden);

/** Stored credentials that the configured key cannot decrypt: the server must not serve with that key. */
export class UnreadableCredentialsError extends Error {}

/** A key rotation refused because server instances are using the database (they would keep the old key). */
export class InstancesRunningError extends ConflictError {}

/** How long a rotation's statements may run, and how long a start-up readability check waits for one to end. */
const ROTATION_LIMITS = { lockTimeoutMs: 600_000, statementTimeoutMs: 600_000 };

function knownType(name: string) {
  const type = getCredentialType(name);
  if (!type)
    throw new ValidationError(`req.body.type "${name}" is not a known type. GET /credentials/schema/{type} describes each known type.`);
  return type;
}

function checkData(typeName: string, data: unknown, partial = false) {
  const problem = validateCredentialData(knownType(typeName), data, { partial });
  if (problem) throw new ValidationError(problem);
}

/** Merge semantics of PATCH: keys replace stored keys, `null` removes one, absent keys are kept. */
function mergeData(stored: Record<string, unknown>, patch: Record<string, unknown>) {
  const merged = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** The error of a node whose credential reference resolves to nothing usable here, saying how to fix it. */
function missingCredential(nodeName: string, type: string, id: string | undefined, name: string | undefined) {
  const which = [id && `ID "${id}"`, name && `name "${name}"`].filter(Boolean).join(' and ');
  return new Error(
    `Credential with ${which} does not exist for type "${type}" (node "${nodeName}"). Create a ${type} credential (POST /api/v1/credentials) ` +
      `and point the node at it (its credentials.${type} in the workflow)${name ? `, or name it "${name}"` : ''}.`,
  );
}

export function createCredentialsService(deps: {
  sql: SqlPool;
  key: EncryptionKey;
  projects: Pick<ProjectsService, 'personalProjectOf' | 'findById'>;
  /** Outbound connections of credential tests, through the address policy the HTTP Request node uses. */
  network: CredentialTestNetwork;
  /** The public base URL (WEBHOOK_URL), for the OAuth2 callback address. */
  baseUrl: string;
}) {
  const { sql, key, projects } = deps;
  const oauth2 = createOAuth2Flow({ secret: key.key, baseUrl: deps.baseUrl, network: deps.network });

  /** A credential the grant reaches through its project; one its user may not see is "not found". */
  async function findAdmitted(id: string, grant: Grant) {
    const credential = await repo.findById(sql, id);
    if (!credential) throw new NotFoundError();
    admitToCredential(grant, credential.projectId);
    return credential;
  }

  /**
   * The project a credential is created in or moved to, where the caller needs credential:create: the one named
   * (one they cannot see is "not found"), else their personal project.
   */
  async function destination(projectId: string | undefined, grant: Grant) {
    const target = { access: grant.access, scopes: ['credential:create'] };
    if (!projectId) {
      const personal = await projects.personalProjectOf(grant.access);
      admitToCredential(target, personal.id);
      return personal;
    }
    const missing = (): never => {
      throw new NotFoundError(`Project with ID "${projectId}" not found`);
    };
    const project = (await projects.findById(sql, projectId)) ?? missing();
    admit(target, project.id, 'project:read', missing);
    return project;
  }

  /** The credential a node references for `type`: by id in the workflow's project, else by its saved name there. */
  async function credentialForNode(entry: unknown, type: string, nodeName: string, projectId: string | undefined) {
    const id = credentialIdOf(entry);
    const name = credentialNameOf(entry);
    if (!id && !name) throw new Error(`Node "${nodeName}" does not have any credentials of type "${type}" set`);
    let credential = id ? await repo.findById(sql, id) : null;
    if (credential && projectId && credential.projectId !== projectId) credential = null;
    // An imported workflow points at its author's ids; a credential of the same type and name here stands in.
    if (!credential && name && projectId) {
      const named = await repo.findByName(sql, projectId, type, name);
      if (named.length === 1) credential = named[0]!;
    }
    if (!credential) throw missingCredential(nodeName, type, id, name);
    if (credential.type !== type) {
      throw new Error(`Credential "${credential.name}" is of type "${credential.type}", but node "${nodeName}" needs "${type}"`);
    }
    return credential;
  }

  async function patchData(id: string, patch: Record<string, unknown>): Promise<void> {
    await inTransaction(sql, async (tx) => {
      const locked = await repo.lockById(tx, id);
      if (!locked) throw new NotFoundError();
      const data = { ...decryptData(locked.data, key), ...patch };
      await repo.update(tx, id, { data: encryptData(data, key), keyId: key.id });
    });
  }

  return {
    /**
     * The decrypted data a running node may use: the credential the node references for `type`, of that type,
     * in the workflow's own project. Errors name the node and what to fix; they never include secret values.
     */
    async decryptForNode(entry: unknown, type: string, nodeName: string, projectId: string | undefined) {
      return decryptData((await credentialForNode(entry, type, nodeName, projectId)).data, key);
    },

    /**
     * Merges `patch` into the data of the credential a node uses (an OAuth2 credential's new tokens), under the row's
     * lock, so two instances refreshing at once each write a whole credential.
     */
    async patchForNode(entry: unknown, type: string, nodeName: string, projectId: string | undefined, patch: Record<string, unknown>) {
      const { id } = await credentialForNode(entry, type, nodeName, projectId);
      await patchData(id, patch);
    },

    /** OAuth2 authorization code flow, step 1: the provider URL to open for an oAuth2Api credential (credential:update). */
    async oauth2AuthorizationUrl(id: string, grant: Grant) {
      const credential = await findAdmitted(id, grant);
      if (credential.type !== 'oAuth2Api')
        throw new ValidationError(`Only oAuth2Api credentials are authorized this way; this one is ${credential.type}`);
      return { authorizationUrl: oauth2.authorizationUrl(id, decryptData(credential.data, key)), redirectUri: oauth2.redirectUri };
    },

    /** Step 2, the provider's redirect: a state this server signed names the credential; its code becomes tokens. */
    async oauth2Callback(query: { code?: string; state?: string; error?: string; error_description?: string }) {
      if (query.error)
        throw new ValidationError(
          `The provider refused the authorization: ${[query.error, query.error_description].filter(Boolean).join(': ')}`,
        );
      const named = query.state ? oauth2.credentialOfState(query.state) : undefined;
      if (!named || !query.code)
        throw new ValidationError('This authorization link is not valid or has expired: start again from the authorize call');
      const credential = await repo.findById(sql, named.credentialId);
      if (!credential || credential.type !== 'oAuth2Api') throw new NotFoundError();
      const token = await oauth2.exchange(decryptData(credential.data, key), query.code, named.nonce);
      await patchData(credential.id, { oauthTokenData: token });
      return { credentialId: credential.id, name: credential.name };
    },

    schemaOf(typeName: string) {
      const type = getCredentialType(typeName);
      if (!type) throw new NotFoundError();
      return credentialJsonSchema(type);
    },

    async create(input: { name: string; type: string; data: Record<string, unknown>; projectId?: string }, grant: Grant) {
      checkData(input.type, input.data);
      const project = await destination(input.projectId, grant);
      return repo.insert(sql, {
        id: newId(),
        name: input.name,
        type: input.type,
        data: encryptData(input.data, key),
        keyId: key.id,
        projectId: project.id,
      });
    },

    list: (query: CredentialFilters & { limit: number; cursor?: string }, grant: Grant) =>
      fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) =>
        repo.list(
          sql,
          { type: query.type, name: query.name?.trim() || undefined, projectId: query.projectId, projectIds: projectFilterOf(grant) },
          range,
        ),
      ),

    get: findAdmitted,

    async update(id: string, input: { name?: string; type?: string; data?: Record<string, unknown>; replaceData: boolean }, grant: Grant) {
      return inTransaction(sql, async (tx) => {
        const current = await repo.lockById(tx, id);
        if (!current) throw new NotFoundError();
        admitToCredential(grant, current.projectId);
        if (input.type !== undefined && input.type !== current.type) {
          throw new ValidationError(
            `request/body/type cannot change from "${current.type}" to "${input.type}": create a new credential instead`,
          );
        }
        let data: string | undefined;
        if (input.data) {
          const next = input.replaceData ? input.data : mergeData(decryptData(current.data, key), input.data);
          checkData(current.type, next);
          data = encryptData(next, key);
        }
        const updated = await repo.update(tx, id, {
          ...(input.name ? { name: input.name } : {}),
          ...(data ? { data, keyId: key.id } : {}),
        });
        if (!updated) throw new NotFoundError();
        return updated;
      });
    },

    /** Runs the type's own test with the stored data (n8n's POST /credentials/:id/test). */
    async test(id: string, grant: Grant) {
      const credential = await findAdmitted(id, grant);
      return testCredential(
        credential.type,
        decryptData(credential.data, key),
        getCredentialType(credential.type)?.secrets ?? [],
        deps.network,
      );
    },

    /** Deleting is allowed while workflows still use the credential; the answer lists them. */
    async delete(id: string, grant: Grant) {
      const credential = await findAdmitted(id, grant);
      const usedBy = await repo.workflowsUsing(sql, credential);
      // Deleted meanwhile by another request: the same 404 as an unknown id.
      if (!(await repo.delete(sql, id))) throw new NotFoundError();
      const warnings = usedBy.length
        ? [
            `${usedBy.length} workflow(s) still reference this credential and will fail where they use it: ${usedBy.map((w) => `"${w.name}" (${w.id})`).join(', ')}`,
          ]
        : [];
      return { credential, usedBy, warnings };
    },

    /** Needs credential:move where it is and credential:create where it goes. */
    async transfer(id: string, destinationProjectId: string, grant: Grant) {
      const credential = await findAdmitted(id, grant);
      const project = await destination(destinationProjectId, grant);
      if (project.id === credential.projectId)
        throw new ValidationError("You can't transfer a credential into the project that's already owning it.");
      if (!(await repo.update(sql, id, { projectId: project.id }))) throw new NotFoundError();
    },

    /**
     * Start-up check: every stored credential must decrypt with the configured key; nothing is changed. It waits
     * for a key rotation in progress to end, so it judges the rows as the rotation leaves them (rotateCredentialKey).
     */
    async verifyReadable() {
      const rows = await inTransaction(
        sql,
        async (tx) => {
          await repo.waitForKeyRotation(tx);
          return repo.all(tx);
        },
        ROTATION_LIMITS,
      );
      const unreadable = rows.filter((row) => {
        try {
          decryptData(row.data, key);
          return false;
        } catch (err) {
          if (err instanceof DecryptionError) return true;
          throw err;
        }
      });
      if (unreadable.length) {
        const others = [...new Set(unreadable.map((r) => r.keyId))].join(', ');
        throw new UnreadableCredentialsError(
          `${unreadable.length} of ${rows.length} stored credential(s) cannot be decrypted with the configured encryption key (key id ${key.id}; they were written with key id ${others}). ` +
            'Set N8N_ENCRYPTION_KEY to the key they were written with (or restore DATA_DIR/encryption-key). Nothing was changed.',
        );
      }
      return rows.length;
    },
  };
}

function instancesRunning(ids: number[]) {
  return new InstancesRunningError(
    `${ids.length} flowgate server instance(s) are running on this database (instance id ${ids.join(', ')}). ` +
      'They hold the current key and could no longer read any credential once it is rotated. ' +
      'Stop every server that uses this database (a server that was killed counts until its lease expires, INSTANCE_LEASE_SECONDS), run this command again, then start them with N8N_ENCRYPTION_KEY set to the new key ' +
      '(when the key lives in DATA_DIR/encryption-key, this command updates that file). Nothing was changed.',
    { instanceIds: ids },
  );
}

/**
 * Re-encrypts every credential from `fromSecret` to `toSecret` in one transaction (rows locked): an interruption
 * rolls back, so every row stays readable with exactly one of the two keys. Refuses if any row does not decrypt
 * with the old key, and while any server instance runs on the database: a running instance keeps the key it
 * started with, so it would fail every credential read until restarted.
 *
 * Race-free with instances starting meanwhile: an instance commits its lease first and then checks readability
 * under the shared rotation lock. Either its lease is there when this checks (refused), or its check waits for
 * this transaction and then finds rows it cannot decrypt (it refuses to start).
 */
export async function rotateCredentialKey(sql: SqlPool, fromSecret: string, toSecret: string): Promise<number> {
  const from = encryptionKey(fromSecret);
  const to = encryptionKey(toSecret);
  if (from.id === to.id) throw new ConflictError('The old and the new key are the same');
  return inTransaction(
    sql,
    async (tx) => {
      await repo.lockForKeyRotation(tx);
      const running = await repo.runningInstances(tx);
      if (running.length) throw instancesRunning(running);
      const rows = await repo.lockAll(tx);
      for (const row of rows) {
        const plain = decryptData(row.data, from);
        await repo.update(tx, row.id, { data: encryptData(plain, to), keyId: to.id });
      }
      return rows.length;
    },
    ROTATION_LIMITS,
  );
}
