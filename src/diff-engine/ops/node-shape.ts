/** Fields a node may carry (n8n's node shape); addNode rejects anything else. */
export const NODE_KEYS = new Set([
  'id',
  'name',
  'type',
  'typeVersion',
  'position',
  'parameters',
  'webhookId',
  'disabled',
  'notesInFlow',
  'notes',
  'executeOnce',
  'alwaysOutputData',
  'retryOnFail',
  'maxTries',
  'waitBetweenTries',
  'continueOnFail',
  'onError',
  'credentials',
  'customTelemetryTags',
]);

export const isPosition = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));

/** A node's `parameters`: a plain object (not null, not an array). */
export const isParameters = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
