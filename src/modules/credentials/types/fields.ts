import { z } from 'zod';

/**
 * Building blocks for the credential-type catalogue. Each field mirrors one of n8n's credential properties:
 * `required` only where n8n marks the property required without a display condition, defaults as n8n's
 * (empty-string defaults left out), and secrets (n8n's `typeOptions.password`) marked `writeOnly` in the zod
 * metadata, which is where the catalogue reads them back from.
 */

/** A credential type before its secrets are derived: n8n's type name, its display name, and the `data` schema. */
export interface CredentialTypeDefinition {
  name: string;
  displayName: string;
  schema: z.ZodObject;
}

export function defineCredentialType(name: string, displayName: string, shape: z.core.$ZodLooseShape): CredentialTypeDefinition {
  return { name, displayName, schema: z.strictObject(shape) };
}

const WRITE_ONLY = { writeOnly: true } as const;

/** An optional string; with a default when n8n has a non-empty one. */
export function text(defaultValue?: string) {
  return defaultValue === undefined ? z.string().optional() : z.string().default(defaultValue);
}

/** A string n8n cannot work without; `defaultValue` only annotates the JSON Schema (as n8n shows it in its editor). */
export function requiredText(defaultValue?: string) {
  return defaultValue === undefined ? z.string() : z.string().meta({ default: defaultValue });
}

/** A secret string (password, token, key): never sent back to a client. */
export function secret() {
  return z.string().optional().meta(WRITE_ONLY);
}

export function requiredSecret() {
  return z.string().meta(WRITE_ONLY);
}

export function number(defaultValue?: number) {
  return defaultValue === undefined ? z.number().optional() : z.number().default(defaultValue);
}

export function requiredNumber(defaultValue?: number) {
  return defaultValue === undefined ? z.number() : z.number().meta({ default: defaultValue });
}

export function boolean(defaultValue = false) {
  return z.boolean().default(defaultValue);
}

/** One of n8n's `options` properties. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) {
  return z.enum(values).default(defaultValue);
}

export function requiredOneOf<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) {
  return z.enum(values).meta({ default: defaultValue });
}

function parsesAsJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

const JSON_MESSAGE = 'is not valid JSON';

/** n8n's `json` property type: a string holding JSON. */
export function jsonText() {
  return z.string().refine(parsesAsJson, JSON_MESSAGE).optional();
}

export function requiredSecretJsonText() {
  return z.string().refine(parsesAsJson, JSON_MESSAGE).meta(WRITE_ONLY);
}

/** Token data an OAuth flow stores on the credential (access and refresh tokens): secret, any object. */
export function oauthTokenData() {
  return z.looseObject({}).optional().meta(WRITE_ONLY);
}

/**
 * n8n adds these two properties to every credential type that can authenticate an HTTP Request node (types with
 * `authenticate`, `genericAuth`, or extending oAuth1Api/oAuth2Api): which hosts the credential may be sent to.
 */
export function domainRestrictionFields() {
  return {
    allowedHttpRequestDomains: oneOf(['all', 'domains', 'none'], 'all'),
    allowedDomains: text(),
  };
}

/** n8n's shared SSH tunnel properties of the SQL database credentials. */
export function sshTunnelFields() {
  return {
    sshTunnel: boolean(),
    sshAuthenticateWith: oneOf(['password', 'privateKey'], 'password'),
    sshHost: text('localhost'),
    sshPort: number(22),
    sshUser: text('root'),
    sshPassword: secret(),
    sshPrivateKey: secret(),
    sshPassphrase: secret(),
  };
}
