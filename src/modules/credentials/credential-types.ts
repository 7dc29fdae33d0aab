import { z } from 'zod';
import { APP_CREDENTIAL_TYPES } from './types/apps.ts';
import { CLOUD_CREDENTIAL_TYPES } from './types/cloud.ts';
import { DATABASE_CREDENTIAL_TYPES } from './types/databases.ts';
import type { CredentialTypeDefinition } from './types/fields.ts';
import { HTTP_CREDENTIAL_TYPES } from './types/http.ts';
import { MAIL_CREDENTIAL_TYPES } from './types/mail.ts';
import { REMOTE_ACCESS_CREDENTIAL_TYPES } from './types/remote-access.ts';

export interface CredentialType {
  /** n8n's credential type name, e.g. 'httpBasicAuth'. */
  name: string;
  /** e.g. 'Basic Auth'. */
  displayName: string;
  /** A z.strictObject describing the `data` object. */
  schema: z.ZodObject;
  /** Top-level field names that are secret (passwords, tokens, keys), read from the fields' `writeOnly` metadata. */
  secrets: string[];
}

/** Whether a field, or the schema it wraps (optional, default, ...), carries `writeOnly: true` metadata. */
function isWriteOnly(field: z.core.$ZodType): boolean {
  if (z.globalRegistry.get(field)?.writeOnly === true) return true;
  const def = field._zod.def as { innerType?: z.core.$ZodType };
  return def.innerType !== undefined && isWriteOnly(def.innerType);
}

function toCredentialType(definition: CredentialTypeDefinition): CredentialType {
  const secrets = Object.entries(definition.schema.shape)
    .filter(([, field]) => isWriteOnly(field))
    .map(([name]) => name);
  return { ...definition, secrets };
}

function buildCatalogue(definitions: CredentialTypeDefinition[]): Map<string, CredentialType> {
  const catalogue = new Map<string, CredentialType>();
  for (const definition of definitions) {
    if (catalogue.has(definition.name)) throw new Error(`Credential type "${definition.name}" is defined twice`);
    catalogue.set(definition.name, toCredentialType(definition));
  }
  return catalogue;
}

export const CREDENTIAL_TYPES: ReadonlyMap<string, CredentialType> = buildCatalogue([
  ...HTTP_CREDENTIAL_TYPES,
  ...DATABASE_CREDENTIAL_TYPES,
  ...MAIL_CREDENTIAL_TYPES,
  ...REMOTE_ACCESS_CREDENTIAL_TYPES,
  ...CLOUD_CREDENTIAL_TYPES,
  ...APP_CREDENTIAL_TYPES,
]);

export function getCredentialType(name: string): CredentialType | undefined {
  return CREDENTIAL_TYPES.get(name);
}

type JsonSchemaProperty = Record<string, unknown>;

/** The keywords a client sees on each property; zod's extras (`propertyNames`, empty `properties`, ...) are dropped. */
const PROPERTY_KEYWORDS = ['type', 'enum', 'default', 'writeOnly'] as const;

/**
 * The JSON Schema a client sees at GET /credentials/schema/:type, in n8n's shape:
 * `{ additionalProperties: false, type: 'object', properties, required }`, secrets marked `writeOnly: true`.
 */
export function credentialJsonSchema(type: CredentialType): Record<string, unknown> {
  const generated = z.toJSONSchema(type.schema, { target: 'draft-7', io: 'input' }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const properties: Record<string, JsonSchemaProperty> = {};
  for (const [name, property] of Object.entries(generated.properties ?? {})) {
    const clean: JsonSchemaProperty = {};
    for (const keyword of PROPERTY_KEYWORDS) {
      if (property[keyword] !== undefined) clean[keyword] = property[keyword];
    }
    if (type.secrets.includes(name)) clean.writeOnly = true;
    properties[name] = clean;
  }
  return { additionalProperties: false, type: 'object', properties, required: generated.required ?? [] };
}

const DATA_PATH = 'request.body.data';

const partialSchemas = new WeakMap<z.ZodObject, z.ZodObject>();

/** The schema for a PATCH of some fields: nothing required, everything present still checked, unknown keys refused. */
function partialSchema(schema: z.ZodObject): z.ZodObject {
  let partial = partialSchemas.get(schema);
  if (!partial) {
    partial = schema.partial();
    partialSchemas.set(schema, partial);
  }
  return partial;
}

function pathOf(path: PropertyKey[]): string {
  return [DATA_PATH, ...path.map(String)].join('.');
}

/**
 * Validates `data` for the type. Returns null when valid, else n8n's message (the `jsonschema` library's wording,
 * several problems joined by commas, in its order: unknown keys, then field problems, then missing fields).
 */
export function validateCredentialData(type: CredentialType, data: unknown, options: { partial?: boolean } = {}): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return `${DATA_PATH} is not of a type(s) object`;
  const schema = options.partial ? partialSchema(type.schema) : type.schema;
  const result = schema.safeParse(data);
  if (result.success) return null;

  const given = data as Record<string, unknown>;
  const unknownKeys: string[] = [];
  const invalid: string[] = [];
  const missing: string[] = [];
  for (const issue of result.error.issues) {
    const [key] = issue.path;
    const topLevel = issue.path.length === 1 && typeof key === 'string';
    if (issue.code === 'unrecognized_keys') {
      for (const unknownKey of issue.keys) {
        unknownKeys.push(`${pathOf(issue.path)} is not allowed to have the additional property "${unknownKey}"`);
      }
    } else if (topLevel && given[key] === undefined) {
      missing.push(`${DATA_PATH} requires property "${key}"`);
    } else if (issue.code === 'invalid_type') {
      invalid.push(`${pathOf(issue.path)} is not of a type(s) ${issue.expected}`);
    } else if (issue.code === 'invalid_value') {
      // jsonschema checks `type` before `enum`, so a value of the wrong type gets both messages.
      const expected = typeof issue.values[0];
      if (topLevel && typeof given[key] !== expected) invalid.push(`${pathOf(issue.path)} is not of a type(s) ${expected}`);
      invalid.push(`${pathOf(issue.path)} is not one of enum values: ${issue.values.map(String).join(',')}`);
    } else {
      invalid.push(`${pathOf(issue.path)} ${issue.message}`);
    }
  }
  return [...unknownKeys, ...invalid, ...missing].join(',');
}
