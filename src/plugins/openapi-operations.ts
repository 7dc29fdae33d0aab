import { EXAMPLES as E, type Example } from './openapi-examples.ts';

/** Error statuses an operation can document a reason of its own for (the rest get the generic text). */
export type ErrorStatus = 400 | 404 | 409 | 503;

export interface OperationDoc {
  summary: string;
  /** What the operation does; the scope and the error codes are appended from the route contract. */
  description: string;
  /** Each success status the route answers, and what it means. */
  success: Record<number, string>;
  /**
   * Operation-specific reasons for an error status. 404 is documented for every route with path parameters,
   * 409 and 503 only where listed here (and 404 too, for a route without path parameters).
   */
  errors?: Partial<Record<ErrorStatus, string>>;
  /** Codes besides the status's usual one (VALIDATION_ERROR for 400, …) that the operation can answer. */
  extraCodes?: Partial<Record<ErrorStatus, string[]>>;
  requestExamples?: Record<string, Example>;
  responseExamples?: Record<number, Record<string, Example>>;
}

const notFound = (what: string) => `No ${what} with this id exists, or it is in a project the key cannot see.`;
const workflowNotFound = notFound('workflow');
const activation =
  'Activating needs a trigger, poller or webhook node (a Manual Trigger alone is not enough, as in n8n), and every webhook path must be free.';
const versionConflict =
  'The versionId sent (in the body or as If-Match) is not the current one: someone saved in between. Nothing was written; reload and apply the change again.';
const archived = 'An archived workflow cannot be changed or activated: unarchive it first.';

const workflowOk = { 200: 'The workflow, as stored now' };
const workflowResponse = { 200: { workflow: E.workflow } };

/**
 * The documentation of every operation, keyed by method and URL (API routes without the API prefix, which is
 * configurable). Kept apart from the route files so that texts can change without touching handlers.
 */
export const OPERATION_DOCS: Record<string, OperationDoc> = {
  'GET /healthz': {
    summary: 'Liveness: the process is up',
    description: 'Answers as long as the process serves HTTP; it does not touch the database. No API key needed.',
    success: { 200: 'The process is up' },
  },
  'GET /healthz/readiness': {
    summary: 'Readiness: the database answers',
    description: 'Runs `SELECT 1` against PostgreSQL, waiting at most 2 seconds. No API key needed.',
    success: { 200: 'The database answered' },
    errors: { 503: 'The database did not answer within 2 seconds (the cause is in the server log only).' },
  },
  'GET /rest/settings': {
    summary: 'Version and public-API discovery, as n8n answers it',
    description:
      'n8n’s settings endpoint, reduced to what API clients probe for: `versionCli` (the n8n release whose API this server emulates), where the public API lives and whether it and its docs page are enabled. No API key needed; nothing in it is secret.',
    success: { 200: 'The settings' },
  },

  'GET /api-keys': {
    summary: 'List API keys',
    description: 'Every key’s label, scopes, hint (its last characters), expiry and last use, newest first. Never the keys themselves.',
    success: { 200: 'A page of keys' },
  },
  'POST /api-keys': {
    summary: 'Create an API key',
    description:
      'The new key holds a subset of the calling key’s scopes (`tag:*` and `*` are allowed when the caller holds them) and expires no later than the calling key. The key itself is in this answer only: store it.',
    success: { 201: 'The key, with `apiKey` shown this once' },
    errors: { 400: 'A scope is unknown, or not held by the calling key, or the expiry is later than the calling key’s.' },
    requestExamples: { readOnly: E.createApiKeyBody },
    responseExamples: { 201: { created: E.createdApiKey } },
  },
  'DELETE /api-keys/{id}': {
    summary: 'Revoke an API key',
    description: 'Revokes a key whose scopes the calling key holds; it stops working within seconds on every instance. Revoking is final.',
    success: { 200: 'The revoked key' },
    errors: { 404: notFound('API key'), 409: 'The key is already revoked.' },
  },

  'GET /tags': {
    summary: 'List tags',
    description: 'Workflow tags, newest first.',
    success: { 200: 'A page of tags' },
  },
  'POST /tags': {
    summary: 'Create a tag',
    description: 'Names are trimmed, unique, and 1 to 24 characters long, as in n8n.',
    success: { 201: 'The new tag' },
    errors: { 409: 'A tag with this name exists.' },
    requestExamples: { tag: E.tagBody },
    responseExamples: { 201: { tag: E.tag } },
  },
  'GET /tags/{id}': {
    summary: 'Get a tag',
    description: 'One tag by id.',
    success: { 200: 'The tag' },
    errors: { 404: notFound('tag') },
    responseExamples: { 200: { tag: E.tag } },
  },
  'PUT /tags/{id}': {
    summary: 'Rename a tag',
    description: 'Workflows keep the tag under its new name.',
    success: { 200: 'The renamed tag' },
    errors: { 404: notFound('tag'), 409: 'Another tag has this name.' },
    requestExamples: { tag: E.tagBody },
  },
  'DELETE /tags/{id}': {
    summary: 'Delete a tag',
    description: 'The tag is removed from every workflow that has it.',
    success: { 200: 'The deleted tag' },
    errors: { 404: notFound('tag') },
  },

  'POST /workflows': {
    summary: 'Create a workflow',
    description:
      'Creates an inactive workflow in the owner’s personal project. Node ids are generated where missing; everything else is stored as sent. Fields n8n marks read-only (id, active, tags, …) are refused by name. An `X-Version-Message` header is kept with the first history entry.',
    success: workflowOk,
    errors: {
      400: 'The body breaks n8n’s workflow schema (the message names the node or setting and the fix), or sends a read-only field.',
    },
    requestExamples: { webhookToSet: E.createWorkflowBody },
    responseExamples: workflowResponse,
  },
  'GET /workflows': {
    summary: 'List workflows',
    description: 'Newest first, paged by keyset, filtered by `active`, `name` (substring), `tags` (all must match) and `projectId`.',
    success: { 200: 'A page of workflows' },
  },
  'GET /workflows/{id}': {
    summary: 'Get a workflow',
    description: 'The full workflow with its active version; `excludePinnedData=true` leaves out pinned data.',
    success: workflowOk,
    errors: { 404: workflowNotFound },
    responseExamples: workflowResponse,
  },
  'PUT /workflows/{id}': {
    summary: 'Replace a workflow',
    description:
      'Replaces name, nodes, connections and settings (and description, nodeGroups, staticData, pinData when sent) and saves a new version. Send the `versionId` last read (or `If-Match`) for optimistic locking. An active workflow is republished with the change.',
    success: workflowOk,
    errors: { 404: workflowNotFound, 409: `${versionConflict} Or: a webhook path of the active workflow is taken.` },
    requestExamples: { replace: E.replaceWorkflowBody },
    responseExamples: workflowResponse,
    extraCodes: { 400: ['WORKFLOW_ARCHIVED'] },
  },
  'PATCH /workflows/{id}': {
    summary: 'Edit a workflow: diff operations or a partial update',
    description:
      'With `operations`, a batch of diff operations (addNode, updateNode, addConnection, …; see WorkflowDiffRequest) is applied in one transaction: all or nothing, or as many as can be applied with `continueOnError`; `validateOnly` checks without saving. The answer is `{ success, data, message, details }`, with the same shape and `code` OPERATION_FAILED or STRUCTURAL_INTEGRITY when the batch is refused. With `Prefer: return=minimal` (answered with `Preference-Applied: return=minimal`) or `"return": "minimal"`, `data` holds only the new version (id, name, versionId, versionCounter, active, updatedAt), the nodes the batch added or changed and the names of those it removed. Without `operations`, the top-level fields sent are replaced. Both save a new version.',
    success: { 200: 'The applied batch (with `operations`), or the updated workflow' },
    errors: {
      400: 'The body is invalid, or the batch was refused (`success: false` and the failing operations in `details`); nothing was saved.',
      404: workflowNotFound,
      409: versionConflict,
    },
    extraCodes: { 400: ['OPERATION_FAILED', 'STRUCTURAL_INTEGRITY', 'WORKFLOW_ARCHIVED'] },
    requestExamples: { diff: E.patchDiffBody, fields: E.patchFieldsBody },
    responseExamples: { 200: { diff: E.diffResponse, fields: E.workflow } },
  },
  'DELETE /workflows/{id}': {
    summary: 'Delete a workflow',
    description: 'Deactivates the workflow first, then deletes it with its history. The answer is the deleted workflow.',
    success: { 200: 'The deleted workflow' },
    errors: { 404: workflowNotFound },
  },
  'POST /workflows/{id}/activate': {
    summary: 'Activate a workflow',
    description: `Publishes the current version: its triggers start. ${activation} The optional body's \`versionId\` must be the current version.`,
    success: { 200: 'The workflow, now active' },
    errors: {
      400: `The workflow cannot be activated. ${activation}`,
      404: workflowNotFound,
      409: 'A webhook path is taken by another active workflow, or the versionId is not the current version.',
    },
    responseExamples: workflowResponse,
    extraCodes: { 400: ['WORKFLOW_ARCHIVED'] },
  },
  'POST /workflows/{id}/publish': {
    summary: 'Publish a workflow (n8n 2.x name of activate)',
    description: `The same as activate. ${activation}`,
    success: { 200: 'The workflow, now active' },
    errors: {
      400: `The workflow cannot be activated. ${activation}`,
      404: workflowNotFound,
      409: 'A webhook path is taken by another active workflow, or the versionId is not the current version.',
    },
    extraCodes: { 400: ['WORKFLOW_ARCHIVED'] },
  },
  'POST /workflows/{id}/deactivate': {
    summary: 'Deactivate a workflow',
    description: 'Its triggers stop; running executions go on. Deactivating an inactive workflow changes nothing.',
    success: { 200: 'The workflow, now inactive' },
    errors: { 404: workflowNotFound },
  },
  'POST /workflows/{id}/unpublish': {
    summary: 'Unpublish a workflow (n8n 2.x name of deactivate)',
    description: 'The same as deactivate.',
    success: { 200: 'The workflow, now inactive' },
    errors: { 404: workflowNotFound },
  },
  'POST /workflows/{id}/archive': {
    summary: 'Archive a workflow',
    description: `Deactivates and archives it. ${archived}`,
    success: { 200: 'The archived workflow' },
    errors: { 404: workflowNotFound, 409: 'The workflow is already archived.' },
  },
  'POST /workflows/{id}/unarchive': {
    summary: 'Unarchive a workflow',
    description: 'The workflow can be changed and activated again; it stays inactive.',
    success: { 200: 'The unarchived workflow' },
    errors: { 404: workflowNotFound, 409: 'The workflow is not archived.' },
  },
  'PUT /workflows/{id}/transfer': {
    summary: 'Move a workflow to another project',
    description: 'The workflow keeps its id, versions and executions.',
    success: { 204: 'Moved' },
    errors: { 404: 'No such workflow, or no such destination project.' },
    requestExamples: { transfer: E.transferBody },
  },
  'GET /workflows/{id}/tags': {
    summary: 'Get a workflow’s tags',
    description: 'The tags of one workflow.',
    success: { 200: 'The tags' },
    errors: { 404: workflowNotFound },
  },
  'PUT /workflows/{id}/tags': {
    summary: 'Replace a workflow’s tags',
    description: 'The list replaces the workflow’s tags; an empty list removes them all.',
    success: { 200: 'The workflow’s tags now' },
    errors: { 404: 'No such workflow, or one of the tag ids does not exist.' },
    requestExamples: { tags: E.workflowTagsBody },
  },
  'GET /workflows/{id}/history': {
    summary: 'List a workflow’s saved versions',
    description: 'Every saved change, newest first: author (the key’s label), time and message.',
    success: { 200: 'A page of versions' },
    errors: { 404: workflowNotFound },
  },
  'GET /workflows/{id}/versions/{versionId}': {
    summary: 'Get one saved version',
    description: 'The full saved state of the workflow at that version.',
    success: { 200: 'The version' },
    errors: { 404: 'No such workflow or version.' },
  },
  'GET /workflows/{id}/{versionId}': {
    summary: 'Get one saved version (n8n 2.x path)',
    description: 'The same as `GET /workflows/{id}/versions/{versionId}`, at the path n8n 2.x serves it.',
    success: { 200: 'The version' },
    errors: { 404: 'No such workflow or version.' },
  },
  'POST /workflows/{id}/versions/{versionId}/restore': {
    summary: 'Restore a saved version',
    description: 'The saved state becomes the current one, itself saved as a new version (with the optional `message`).',
    success: workflowOk,
    errors: { 404: 'No such workflow or version.' },
    extraCodes: { 400: ['WORKFLOW_ARCHIVED'] },
  },

  'POST /credentials': {
    summary: 'Create a credential',
    description:
      'The data must satisfy the type’s schema (`GET /credentials/schema/{type}`); it is encrypted at rest and never returned. Created in the owner’s personal project unless `projectId` says otherwise.',
    success: { 200: 'The credential’s metadata' },
    errors: {
      400: 'Unknown credential type, or data that does not satisfy its schema.',
      404: 'The projectId names no project.',
    },
    requestExamples: { bearer: E.createCredentialBody },
    responseExamples: { 200: { credential: E.credential } },
  },
  'GET /credentials': {
    summary: 'List credentials',
    description: 'Metadata and the owning project, newest first; filter by `type`, `name` (substring) and `projectId`.',
    success: { 200: 'A page of credentials' },
  },
  'GET /credentials/{id}': {
    summary: 'Get a credential',
    description: 'Metadata only: the data never leaves the server.',
    success: { 200: 'The credential’s metadata' },
    errors: { 404: notFound('credential') },
    responseExamples: { 200: { credential: E.credential } },
  },
  'PATCH /credentials/{id}': {
    summary: 'Update a credential',
    description:
      'Renames it and/or changes its data. Data is merged key by key (null removes a key) unless `replaceData` is true (or n8n’s `isPartialData` is false); the result must satisfy the type’s schema.',
    success: { 200: 'The credential’s metadata' },
    errors: { 404: notFound('credential') },
    requestExamples: { rotate: E.updateCredentialBody },
  },
  'DELETE /credentials/{id}': {
    summary: 'Delete a credential',
    description: 'The answer lists the workflows whose nodes still reference it: they fail at that node until fixed.',
    success: { 200: 'The deleted credential and who used it' },
    errors: { 404: notFound('credential') },
  },
  'PUT /credentials/{id}/transfer': {
    summary: 'Move a credential to another project',
    description: 'Workflows in the old project that use it lose access to it.',
    success: { 204: 'Moved' },
    errors: { 404: 'No such credential, or no such destination project.' },
    requestExamples: { transfer: E.transferBody },
  },
  'GET /credentials/schema/{credentialTypeName}': {
    summary: 'Get a credential type’s data schema',
    description: 'The JSON Schema a credential of this type must satisfy; secret fields are marked writeOnly.',
    success: { 200: 'A JSON Schema' },
    errors: { 404: 'No credential type with this name.' },
  },

  'GET /executions': {
    summary: 'List executions',
    description: 'Newest first; filter by `status`, `workflowId` and `projectId`; `includeData=true` adds the run data.',
    success: { 200: 'A page of executions' },
  },
  'POST /executions/stop': {
    summary: 'Stop many executions',
    description: 'Stops every execution with one of the given statuses, optionally of one workflow and within a start-time window.',
    success: { 200: 'How many were stopped' },
    errors: { 400: 'No status given.', 404: 'The workflowId names no workflow the key can see.' },
    requestExamples: { waiting: E.stopManyBody },
  },
  'GET /executions/{id}': {
    summary: 'Get an execution',
    description: 'One execution; `includeData=true` adds its run data and the workflow it ran.',
    success: { 200: 'The execution' },
    errors: { 400: 'The id is not a number (`request/params/id must be number`, as n8n answers).', 404: notFound('execution') },
    responseExamples: { 200: { execution: E.execution } },
  },
  'DELETE /executions/{id}': {
    summary: 'Delete an execution',
    description: 'Deletes a finished execution and its data.',
    success: { 200: 'The deleted execution' },
    errors: { 400: 'The id is not a number, or the execution is still running.', 404: notFound('execution') },
  },
  'POST /executions/{id}/retry': {
    summary: 'Retry an execution',
    description:
      'Runs a failed execution again from the node that failed, with the saved workflow (default) or, with `loadWorkflow: true`, the current one.',
    success: { 200: 'The new execution' },
    errors: {
      404: notFound('execution'),
      409: 'The execution succeeded, is still running or waiting, or has no run data to continue from.',
    },
  },
  'POST /executions/{id}/stop': {
    summary: 'Stop an execution',
    description: 'Stops a running or waiting execution.',
    success: { 200: 'The stopped execution' },
    errors: { 404: notFound('execution'), 409: 'The execution is neither running nor waiting.' },
  },
  'GET /executions/{id}/tags': {
    summary: 'Get an execution’s annotation tags',
    description: 'The annotation tags of one execution.',
    success: { 200: 'The tags' },
    errors: { 404: notFound('execution') },
  },
  'PUT /executions/{id}/tags': {
    summary: 'Replace an execution’s annotation tags',
    description: 'The list replaces the execution’s tags (at most 100).',
    success: { 200: 'The execution’s tags now' },
    errors: { 404: 'No such execution, or one of the tag ids does not exist.' },
    requestExamples: { tags: E.workflowTagsBody },
  },
  'GET /annotation-tags': {
    summary: 'List annotation tags',
    description: 'The tags of executions (not workflow tags), newest first. flowgate’s own: n8n 2.39 manages them only in its editor.',
    success: { 200: 'A page of annotation tags' },
  },
  'POST /annotation-tags': {
    summary: 'Create an annotation tag',
    description: 'For `PUT /executions/{id}/tags`. Names are unique and 1 to 24 characters long. flowgate’s own.',
    success: { 201: 'The new annotation tag' },
    errors: { 409: 'An annotation tag with this name exists.' },
    requestExamples: { tag: E.tagBody },
    responseExamples: { 201: { tag: E.tag } },
  },
  'POST /workflows/{id}/run': {
    summary: 'Run a workflow now',
    description:
      'Runs the saved workflow in manual mode from its manual trigger (or `startNode`), with the given items. Without `wait` (in the body or `?wait=true`) the answer is 202 with the execution id; with it, 200 with the finished execution and its data.',
    success: { 200: 'The finished execution (wait)', 202: 'Started; poll GET /executions/{id}' },
    errors: { 400: 'The workflow has no node to start from, or `startNode` names no node of the workflow.', 404: workflowNotFound },
    requestExamples: { wait: E.runWorkflowBody },
    responseExamples: { 200: { execution: E.execution }, 202: { started: E.runStarted } },
  },
  'GET /users': {
    summary: 'List users',
    description:
      'Users in the order they were made, with n8n’s fields; `includeRole=true` adds each one’s global role, `projectId` keeps the members of one project.',
    success: { 200: 'A page of users' },
  },
  'POST /users': {
    summary: 'Invite users',
    description:
      'Each new user gets a personal project and the role asked for (default `global:member`; never `global:owner`). No mail is sent (`emailSent: false`) and there is no password login: a user acts through API keys, made with `npm run cli -- api-key create --user <email>`. Someone invited already is answered as they are. All or nothing.',
    success: { 201: 'One answer per email' },
    errors: { 400: 'An email is not valid, or a role does not exist or cannot be given.' },
  },
  'GET /users/{id}': {
    summary: 'Get a user',
    description: 'By id or by email. `includeRole=true` adds their global role.',
    success: { 200: 'The user' },
    errors: { 404: 'No user has this id or email.' },
  },
  'DELETE /users/{id}': {
    summary: 'Delete a user',
    description:
      'Their API keys stop working and their memberships end. Their personal project’s workflows and credentials go to the personal project of `transferId` when it is given, and are deleted otherwise, as in n8n. The owner and the caller’s own user cannot be deleted.',
    success: { 204: 'Deleted' },
    errors: {
      400: 'The caller’s own user, or `transferId` is the user deleted.',
      404: 'No user has this id or email (or `transferId` names nobody).',
    },
  },
  'PATCH /users/{id}/role': {
    summary: 'Change a user’s global role',
    description:
      'To `global:admin`, `global:member`, `global:chatUser` or a custom global role. The owner’s role does not change. The user’s keys follow at once on this instance, and within the key-cache TTL on others.',
    success: { 200: 'Changed' },
    errors: { 400: 'The role does not exist or cannot be given.', 404: 'No user has this id or email.' },
  },
  'GET /roles': {
    summary: 'List roles',
    description:
      'n8n’s system roles with their scopes, and custom roles, grouped as `global` and `project`. `withUsageCount=true` adds how many users hold each.',
    success: { 200: 'The roles' },
  },
  'GET /roles/{slug}': {
    summary: 'Get a role',
    description: 'By slug, for example `global:member` or `project:editor`.',
    success: { 200: 'The role' },
    errors: { 404: 'No role has this slug.' },
  },
  'POST /roles': {
    summary: 'Create a custom role',
    description:
      'A global or project role holding scopes that n8n’s system roles of that type use. Its slug is made from its name (`project:<name>`). A project role is given with the project membership routes.',
    success: { 201: 'The new role' },
    errors: { 400: 'A scope is not one a role of this type can hold.' },
  },
  'PUT /roles/{slug}': {
    summary: 'Change a custom role',
    description: 'Its name, description and scopes. What its holders’ keys may do changes with it. System roles cannot be changed.',
    success: { 200: 'The role, as stored now' },
    errors: { 400: 'A system role, or a scope a role of this type cannot hold.', 404: 'No role has this slug.' },
  },
  'DELETE /roles/{slug}': {
    summary: 'Delete a custom role',
    description: 'Whoever holds it gets `reassignRoleSlug` (a role of the same type) instead; while anyone holds it, that is required.',
    success: { 200: 'The deleted role' },
    errors: { 400: 'A system role, or the role is held and no valid `reassignRoleSlug` is given.', 404: 'No role has this slug.' },
  },
  'GET /projects': {
    summary: 'List projects',
    description:
      'Owner and admin see every project, every user’s personal project included (as in n8n); a member sees the projects they are in. n8n 2.39 serves this only with a license.',
    success: { 200: 'A page of projects' },
  },
  'POST /projects': {
    summary: 'Create a team project',
    description: 'The caller becomes its `project:admin`. The answer carries that role and the scopes the caller holds there.',
    success: { 201: 'The new project' },
    errors: { 400: 'The name is empty or longer than 255 characters.' },
  },
  'PUT /projects/{projectId}': {
    summary: 'Rename a team project',
    description: 'Needs `project:update` there: owner, admin, or the project’s `project:admin`.',
    success: { 204: 'Renamed' },
    errors: { 404: 'No team project with this id, or one the key cannot see.' },
  },
  'DELETE /projects/{projectId}': {
    summary: 'Delete a team project',
    description: 'Its workflows (with their executions) and credentials are deleted with it, as in n8n; its members lose access at once.',
    success: { 204: 'Deleted' },
    errors: { 400: 'A personal project: those go with their user.', 404: 'No project with this id, or one the key cannot see.' },
  },
  'GET /projects/{projectId}/users': {
    summary: 'List a project’s members',
    description: 'Each member with their role in the project.',
    success: { 200: 'A page of members' },
    errors: { 404: 'No project with this id, or one the key cannot see.' },
  },
  'POST /projects/{projectId}/users': {
    summary: 'Add members to a team project',
    description:
      'Each `{userId, role}` with `project:admin`, `project:editor`, `project:viewer` or a custom project role; a member already there gets the role given. All or nothing. Their keys reach the project at once on this instance, within the key-cache TTL on others.',
    success: { 201: 'Added' },
    errors: { 400: 'A role is not a project role.', 404: 'No team project with this id (or one the key cannot see), or no such user.' },
  },
  'PATCH /projects/{projectId}/users/{userId}': {
    summary: 'Change a member’s role',
    description: 'To `project:admin`, `project:editor`, `project:viewer` or a custom project role.',
    success: { 204: 'Changed' },
    errors: {
      400: 'The role is not a project role.',
      404: 'No team project with this id, or the user is not a member (n8n’s one message for both).',
    },
  },
  'DELETE /projects/{projectId}/users/{userId}': {
    summary: 'Remove a member from a team project',
    description:
      'Their keys lose the project at once on this instance, within the key-cache TTL on others. Removing someone who is not a member does nothing.',
    success: { 204: 'Removed' },
    errors: { 404: 'No team project with this id, or one the key cannot see.' },
  },
  'GET /variables': {
    summary: 'List variables',
    description:
      'Global variables (every user may read them), and the variables of the projects the key’s user may see there (owner and admin: all). `projectId` keeps one project’s; `state=empty` keeps those with an empty value. n8n 2.39 serves this only with a license.',
    success: { 200: 'A page of variables' },
  },
  'POST /variables': {
    summary: 'Create a variable',
    description:
      'Global (no `projectId`: owner and admin) or of a project (its `project:admin` and `project:editor` too). Workflows read it as `$vars.KEY`, a project’s over a global one of the same key, from their next run on, on every instance. flowgate answers the created variable; n8n answers no body.',
    success: { 201: 'The new variable' },
    errors: {
      400: 'The key has characters other than letters, digits and underscores, or is too long.',
      404: 'No project with this id, or one the key cannot see.',
      409: 'A variable with this key exists already where it would live (globally, or in the project).',
    },
  },
  'PUT /variables/{id}': {
    summary: 'Replace a variable',
    description:
      'Its key and value, and with `projectId` the project it belongs to. n8n answers 204 for an unknown id too; flowgate answers 404.',
    success: { 204: 'Updated' },
    errors: {
      400: 'The key has characters other than letters, digits and underscores, or is too long.',
      404: 'No variable with this id the key may see.',
      409: 'Another variable has this key where it would live.',
    },
  },
  'DELETE /variables/{id}': {
    summary: 'Delete a variable',
    description: 'Runs that start afterwards no longer see it. n8n answers 204 for an unknown id too; flowgate answers 404.',
    success: { 204: 'Deleted' },
    errors: { 404: 'No variable with this id the key may see.' },
  },
  'GET /projects/{projectId}/folders': {
    summary: 'List a project’s folders',
    description:
      '`filter` (JSON) keeps the folders directly in `parentFolderId` ("0": the top level) or whose name contains `name`; `select` (a JSON array) keeps some fields; `sortBy`, `skip` and `take` (at most 250) page them. `count` is how many match. n8n 2.39 serves folders only with a license.',
    success: { 200: 'The folders and how many match' },
    errors: {
      400: '`filter` or `select` is not JSON of the documented shape.',
      404: 'No project with this id, or one the key cannot see.',
    },
  },
  'POST /projects/{projectId}/folders': {
    summary: 'Create a folder',
    description: 'At the project’s top level, or in `parentFolderId` (a folder of the same project).',
    success: { 201: 'The new folder' },
    errors: { 404: 'No project with this id (or one the key cannot see), or no such parent folder in it.' },
  },
  'GET /projects/{projectId}/folders/{folderId}': {
    summary: 'Get a folder',
    description: 'With `totalSubFolders` and `totalWorkflows`: how many folders and workflows are directly in it.',
    success: { 200: 'The folder' },
    errors: { 404: 'No such folder in a project the key can see.' },
  },
  'PATCH /projects/{projectId}/folders/{folderId}': {
    summary: 'Rename or move a folder',
    description:
      '`parentFolderId` moves it into another folder of the project ("0": the top level), never into itself or a folder inside it.',
    success: { 200: 'The folder, as stored now' },
    errors: {
      400: 'No field to change, or a move into itself or a folder inside it.',
      404: 'No such folder (or parent folder) in a project the key can see.',
    },
  },
  'DELETE /projects/{projectId}/folders/{folderId}': {
    summary: 'Delete a folder',
    description:
      'With `transferToFolderId` (a folder of the project, "0": the top level), what is directly in it moves there. Without it, its folders are deleted with it and the workflows in them are archived (deactivated, each with a history entry) at the project’s top level: nothing is deleted unasked.',
    success: { 204: 'Deleted' },
    errors: {
      400: 'A transfer into the folder itself or a folder inside it.',
      404: 'No such folder (or target folder) in a project the key can see.',
    },
  },
  'GET /data-tables': {
    summary: 'List data tables',
    description:
      'The data tables of the projects the key’s user may see (owner and admin: all), each with its columns and `sizeBytes`. `filter` (JSON: `projectId`, `name`, `id`) and `sortBy` (`name`, `createdAt`, `updatedAt` with `:asc`/`:desc`).',
    success: { 200: 'A page of data tables' },
  },
  'POST /data-tables': {
    summary: 'Create a data table',
    description:
      'Typed columns (`string`, `number`, `boolean`, `date`, `json`); in `projectId` (needs `dataTable:create` there) or the caller’s personal project. Its rows are kept in a PostgreSQL table of its own, so filters and sorts run in the database.',
    success: { 201: 'The new data table' },
    errors: {
      400: 'A column type or name is not allowed, or a name is given twice.',
      404: 'No project with this id, or one the key cannot see.',
      409: 'A data table of this name exists in the project.',
    },
  },
  'GET /data-tables/{dataTableId}': {
    summary: 'Get a data table',
    description: 'With its columns in order and `sizeBytes`.',
    success: { 200: 'The data table' },
    errors: { 404: 'No data table with this id, or one in a project the key cannot see.' },
  },
  'PATCH /data-tables/{dataTableId}': {
    summary: 'Rename a data table',
    description: 'Names are unique per project.',
    success: { 200: 'The data table' },
    errors: {
      404: 'No data table with this id, or one in a project the key cannot see.',
      409: 'A data table of this name exists in the project.',
    },
  },
  'DELETE /data-tables/{dataTableId}': {
    summary: 'Delete a data table',
    description: 'With its rows.',
    success: { 204: 'Deleted' },
    errors: { 404: 'No data table with this id, or one in a project the key cannot see.' },
  },
  'GET /data-tables/{dataTableId}/columns': {
    summary: 'List a data table’s columns',
    description: 'In their order (`index`).',
    success: { 200: 'The columns' },
    errors: { 404: 'No data table with this id, or one in a project the key cannot see.' },
  },
  'POST /data-tables/{dataTableId}/columns': {
    summary: 'Add a column',
    description: 'At `index` (default: last); the columns from there move one on. Existing rows hold null in it.',
    success: { 201: 'The new column' },
    errors: {
      404: 'No data table with this id, or one in a project the key cannot see.',
      409: 'A column of this name exists in the table.',
    },
  },
  'PATCH /data-tables/{dataTableId}/columns/{columnId}': {
    summary: 'Rename or move a column',
    description: '`name` renames it (values stay); `index` moves it.',
    success: { 200: 'The column' },
    errors: { 404: 'No such column, or no such data table the key can see.', 409: 'A column of this name exists in the table.' },
  },
  'DELETE /data-tables/{dataTableId}/columns/{columnId}': {
    summary: 'Delete a column',
    description: 'With its values.',
    success: { 204: 'Deleted' },
    errors: { 404: 'No such column, or no such data table the key can see.' },
  },
  'GET /data-tables/{dataTableId}/rows': {
    summary: 'List rows',
    description:
      '`filter` (JSON `{"type": "and"|"or", "filters": [{"columnName", "condition", "value"}]}` with `eq`, `neq`, `like`, `ilike`, `gt`, `gte`, `lt`, `lte`, `isEmpty`, `isNotEmpty`), `search` (any text column contains it), `sortBy` (`column:asc|desc`), `limit`, `cursor`. Values are checked against the column types.',
    success: { 200: 'A page of rows' },
    errors: {
      400: 'A filter or sort names an unknown column, or a value does not match its column.',
      404: 'No data table with this id, or one in a project the key cannot see.',
    },
  },
  'POST /data-tables/{dataTableId}/rows': {
    summary: 'Insert rows',
    description: 'At most 1000 per request, all or none. `returnType`: `count` (default), `id` or `all`.',
    success: { 200: 'The count, ids or rows inserted' },
    errors: {
      400: 'An unknown column, a value that does not match its column, or the size limit reached.',
      404: 'No data table with this id, or one in a project the key cannot see.',
    },
  },
  'PATCH /data-tables/{dataTableId}/rows/update': {
    summary: 'Update rows',
    description:
      'Sets `data` on the rows `filter` matches. `returnData` answers them; `dryRun` answers each before and after and writes nothing.',
    success: { 200: 'true, the rows, or the dry run' },
    errors: {
      400: 'An unknown column, a value that does not match its column, or the size limit reached.',
      404: 'No data table with this id, or one in a project the key cannot see.',
    },
  },
  'POST /data-tables/{dataTableId}/rows/upsert': {
    summary: 'Upsert a row',
    description:
      'Updates the rows `filter` matches, or inserts `data` when none does. Upserts of one table wait for each other, so a key never gets two rows.',
    success: { 200: 'true, the rows, or the dry run' },
    errors: {
      400: 'An unknown column, a value that does not match its column, or the size limit reached.',
      404: 'No data table with this id, or one in a project the key cannot see.',
    },
  },
  'DELETE /data-tables/{dataTableId}/rows/delete': {
    summary: 'Delete rows',
    description:
      'The rows `filter` (required) matches. `returnData` answers them; `dryRun` answers them (before, and an empty after) and deletes nothing.',
    success: { 200: 'true, the rows, or the dry run' },
    errors: {
      400: 'No filter, or one that names an unknown column.',
      404: 'No data table with this id, or one in a project the key cannot see.',
    },
  },
  'DELETE /data-tables/{dataTableId}/rows/clear': {
    summary: 'Delete every row',
    description: 'The table and its columns stay.',
    success: { 200: 'How many were deleted' },
    errors: { 404: 'No data table with this id, or one in a project the key cannot see.' },
  },
  'GET /discover': {
    summary: 'What this API key may do',
    description:
      'Its scopes (the key’s, narrowed to what its user’s roles allow), and per resource (n8n’s OpenAPI tags) the operations and endpoints it may call, from the route contracts. `resource` and `operation` filter; `include=schemas` adds each endpoint’s request body schema. Any valid key may ask.',
    success: { 200: 'The key’s scopes and operations' },
  },
  'GET /insights/summary': {
    summary: 'Insights: a period’s production runs',
    description:
      'Runs that ended in the period (default: the last 7 days), of any mode but manual, succeeded or failed: `total`, `failed`, `failureRate`, `timeSaved` (each successful run counts its workflow’s `settings.timeSavedPerExecution` minutes) and `averageRunTime`, each with its `deviation` from the period of the same length before (null when that one had no runs). `projectId` keeps one project’s workflows. One indexed query over both periods.',
    success: { 200: 'The summary' },
    errors: { 400: 'startDate is not before endDate, or the period is longer than 366 days.' },
  },
  'POST /credentials/{id}/oauth2/authorize': {
    summary: 'Connect an OAuth2 credential',
    description:
      'For an `oAuth2Api` credential with the authorization code (or PKCE) grant: answers the provider’s authorization URL to open in a browser, with a state signed by this instance (valid 10 minutes), and the redirect URI to register with the provider (`<WEBHOOK_URL>rest/oauth2-credential/callback`, n8n’s). The provider sends the person back there; the code is exchanged for tokens, which are stored encrypted in the credential and refreshed by the nodes that use it. Client credentials need no authorization.',
    success: { 200: 'The URL to open and the redirect URI' },
    errors: { 400: 'The credential is not an oAuth2Api one, has no authUrl, or uses client credentials.' },
  },
  'POST /credentials/{id}/test': {
    summary: 'Test a credential',
    description:
      'Runs the type’s own test with the stored data, as n8n does: Slack `auth.test`, OpenAI `GET /models`, GitHub `GET /user`, GitLab `GET /api/v4/user`, Telegram `getMe`, Notion `GET /users/me`, Postgres `SELECT 1`. Always 200: `{status: "OK", message}` or `{status: "Error", message}` (the message never holds the credential’s values); a type without a test answers n8n’s `No testing function found for this credential.` Connections follow the HTTP Request node’s address policy.',
    success: { 200: 'The outcome of the test' },
  },
  'POST /audit': {
    summary: 'Security audit',
    description:
      'n8n’s report categories (`credentials`: unused, only in inactive workflows, or in workflows that have not run for `daysAbandonedWorkflow` days; `database`: SQL built from expressions, queries without parameters; `nodes`: code-running and any-address nodes; `filesystem`: nodes that read or write files; `instance`: webhooks without authentication, and this server’s security settings), each a `{risk, sections}` under its title. Categories without findings are left out; with none at all the answer is `[]`, as in n8n.',
    success: { 200: 'The report' },
  },
  'GET /settings/otel': {
    summary: 'OpenTelemetry settings',
    description: 'n8n’s settings, shared by every instance (stored in PostgreSQL). Header values are answered as `***`.',
    success: { 200: 'The settings' },
  },
  'PUT /settings/otel': {
    summary: 'Change the OpenTelemetry settings',
    description:
      'With `enabled`, this server sends traces over OTLP/HTTP (protobuf) to `exporterEndpoint` + `exporterTracingPath`: a span per API request, and per execution a `workflow.execute` span with a `node.execute` child per node run (`includeNodeSpans`; `productionExecutionsOnly` leaves manual runs out; `tracesSampleRate` samples). Every instance follows within 5 seconds. A header sent as `***` keeps its stored value, so a GET answer can be sent back. `grpc` is refused (400).',
    success: { 200: 'The settings, as stored now' },
    errors: { 400: 'A field is missing or out of range, or the protocol is grpc.' },
  },
  'POST /settings/otel/test-trace': {
    summary: 'Send a test span',
    description:
      'Exports one span to the endpoint given (headers sent as `***` take the stored values) and answers whether it was taken: `{success}` or `{success: false, error}`.',
    success: { 200: 'Whether the endpoint took the span' },
    errors: { 400: 'A field is missing or out of range, or the protocol is grpc.' },
  },
  'GET /node-types': {
    summary: 'The node types this server runs',
    description:
      'flowgate’s own route (n8n has none): every node type the engine implements, with the typeVersions and operations it implements where a node names them (null: any version runs, as the newest), and whether a run can start at it. A workflow may hold other types (it saves, with a `warnings` entry naming them), but a run that reaches one fails.',
    success: { 200: 'The node types' },
  },
};
