/**
 * Every `code` an error body can carry, with its HTTP status and when it is sent. This is the one list: AppError
 * only takes these, the diff engine's codes are checked against it at compile time (workflows-diff.service.ts),
 * and a test checks that README.md lists exactly these codes.
 */
export const ERROR_CODES = {
  VALIDATION_ERROR: { status: 400, when: 'the request is malformed or would make an invalid workflow; `message` names the field' },
  BAD_REQUEST: { status: 400, when: 'another client error the HTTP layer refuses before a route runs' },
  OPERATION_FAILED: { status: 400, when: 'a diff operation cannot be applied (unknown node type, a connection loop)' },
  STRUCTURAL_INTEGRITY: { status: 400, when: 'a diff batch would leave the workflow broken (stale connections)' },
  WORKFLOW_ARCHIVED: { status: 400, when: 'the workflow is archived: unarchive it before changing or activating it' },
  UNAUTHORIZED: { status: 401, when: 'the X-N8N-API-KEY header is missing, unknown, revoked or expired' },
  FORBIDDEN: { status: 403, when: 'the key lacks a scope the request needs (`details.missingScopes`)' },
  NOT_FOUND: { status: 404, when: 'no such route, or no such resource in a project the key can see' },
  METHOD_NOT_ALLOWED: { status: 405, when: 'the path exists, but not for this method (see the Allow header)' },
  CONFLICT: { status: 409, when: 'a stale versionId or If-Match, a name or webhook path already taken, revoking the last owner key' },
  PAYLOAD_TOO_LARGE: { status: 413, when: 'the body is larger than N8N_PAYLOAD_SIZE_MAX' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: 'the body is not sent as application/json' },
  RATE_LIMITED: { status: 429, when: 'too many requests: wait as long as Retry-After says' },
  INTERNAL: { status: 500, when: 'an unexpected server error; the cause is only in the server log, under the requestId' },
  NOT_READY: { status: 503, when: 'the database does not answer (/healthz/readiness)' },
  QUEUE_UNAVAILABLE: {
    status: 503,
    when: 'queue mode: the execution could not be put on the Redis queue in time; it is recorded as crashed, so nothing is lost silently',
  },
  BUSY: {
    status: 503,
    when: 'a concurrent request held a lock too long, or a deadlock rolled the change back: retry after Retry-After seconds',
  },
} as const satisfies Record<string, { status: number; when: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as ErrorCode[];
