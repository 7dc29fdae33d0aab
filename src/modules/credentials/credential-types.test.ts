import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_TYPES,
  type CredentialType,
  credentialJsonSchema,
  getCredentialType,
  validateCredentialData,
} from './credential-types.ts';

/** Every type the catalogue must offer, by n8n's name (apiKeyAuth is flowgate's own). */
const REQUIRED_TYPES = [
  'httpBasicAuth',
  'httpHeaderAuth',
  'httpQueryAuth',
  'httpBearerAuth',
  'httpCustomAuth',
  'oAuth2Api',
  'oAuth1Api',
  'apiKeyAuth',
  'postgres',
  'mySql',
  'mongoDb',
  'redis',
  'smtp',
  'imap',
  'sshPassword',
  'sshPrivateKey',
  'ftp',
  'sftp',
  'aws',
  'googleApi',
  'slackApi',
  'githubApi',
  'gitlabApi',
  'notionApi',
  'airtableTokenApi',
  'telegramApi',
  'discordBotApi',
  'openAiApi',
  'anthropicApi',
  'stripeApi',
  'twilioApi',
  'jiraSoftwareCloudApi',
  'n8nApi',
  'mqtt',
];

/** One minimal valid `data` object per type: its required fields, nothing else. */
const MINIMAL_DATA: Record<string, Record<string, unknown>> = {
  httpBasicAuth: {},
  n8nApi: { apiKey: 'key' },
  mqtt: {},
  httpHeaderAuth: {},
  httpQueryAuth: {},
  httpBearerAuth: {},
  httpCustomAuth: { json: '{"headers":{"X-Key":"k"}}' },
  oAuth2Api: { accessTokenUrl: 'https://idp.example.com/token', clientId: 'id', clientSecret: 'secret' },
  oAuth1Api: {
    authUrl: 'https://idp.example.com/authorize',
    accessTokenUrl: 'https://idp.example.com/access',
    consumerKey: 'key',
    consumerSecret: 'secret',
    requestTokenUrl: 'https://idp.example.com/request',
    signatureMethod: 'HMAC-SHA1',
  },
  apiKeyAuth: { apiKey: 'k' },
  postgres: {},
  mySql: {},
  mongoDb: {},
  redis: {},
  smtp: {},
  imap: {},
  sshPassword: { host: 'example.com', port: 22 },
  sshPrivateKey: { host: 'example.com', port: 22 },
  ftp: { host: 'example.com', port: 21 },
  sftp: { host: 'example.com', port: 22, username: 'me' },
  aws: {},
  googleApi: { email: 'robot@project.iam.gserviceaccount.com', privateKey: '-----BEGIN PRIVATE KEY-----' },
  slackApi: { accessToken: 'xoxb-1' },
  githubApi: {},
  gitlabApi: {},
  notionApi: {},
  airtableTokenApi: {},
  telegramApi: {},
  discordBotApi: { botToken: 't' },
  openAiApi: { apiKey: 'sk-1' },
  anthropicApi: { apiKey: 'sk-ant-1' },
  stripeApi: {},
  twilioApi: {},
  jiraSoftwareCloudApi: {},
};

type JsonSchema = { additionalProperties: unknown; type: unknown; properties: Record<string, Record<string, unknown>>; required: string[] };

const schemaOf = (type: CredentialType) => credentialJsonSchema(type) as JsonSchema;

const typeNamed = (name: string): CredentialType => {
  const type = getCredentialType(name);
  if (!type) throw new Error(`no credential type ${name}`);
  return type;
};

const allTypes = [...CREDENTIAL_TYPES.values()];

describe('the catalogue', () => {
  it.each(REQUIRED_TYPES)('offers %s', (name) => {
    expect(getCredentialType(name)?.name).toBe(name);
  });

  it('has no types beyond the list and a display name on each', () => {
    expect([...CREDENTIAL_TYPES.keys()].sort()).toEqual([...REQUIRED_TYPES].sort());
    for (const type of allTypes) expect(type.displayName, type.name).toMatch(/\S/);
  });

  it('knows nothing of other names, including Object.prototype keys', () => {
    expect(getCredentialType('noSuchType')).toBeUndefined();
    expect(getCredentialType('constructor')).toBeUndefined();
  });

  it('derives the secrets from the writeOnly metadata', () => {
    expect(typeNamed('httpBasicAuth').secrets).toEqual(['password']);
    expect(typeNamed('sshPrivateKey').secrets).toEqual(['privateKey', 'passphrase']);
    expect(typeNamed('oAuth2Api').secrets).toEqual(['clientSecret', 'oauthTokenData']);
    expect(typeNamed('aws').secrets).toEqual(['secretAccessKey', 'sessionToken']);
  });
});

describe('credentialJsonSchema', () => {
  it.each(allTypes.map((type) => [type.name, type] as const))('%s: a closed object, writeOnly on every secret', (_, type) => {
    const schema = schemaOf(type);
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema).not.toHaveProperty('$schema');
    expect(Array.isArray(schema.required)).toBe(true);
    expect(type.secrets.length).toBeGreaterThan(0);
    for (const secret of type.secrets) expect(schema.properties[secret]?.writeOnly, secret).toBe(true);
    const writeOnly = Object.keys(schema.properties).filter((name) => schema.properties[name]?.writeOnly === true);
    expect(writeOnly).toEqual(type.secrets);
    for (const name of schema.required) expect(Object.keys(schema.properties)).toContain(name);
  });

  it("matches n8n's schema for httpBasicAuth (plus writeOnly and defaults)", () => {
    const n8nSample = {
      additionalProperties: false,
      type: 'object',
      properties: {
        user: { type: 'string' },
        password: { type: 'string' },
        allowedHttpRequestDomains: { type: 'string', enum: ['all', 'domains', 'none'] },
        allowedDomains: { type: 'string' },
      },
      required: [],
    };
    const schema = schemaOf(typeNamed('httpBasicAuth'));
    expect(Object.keys(schema.properties)).toEqual(Object.keys(n8nSample.properties));
    expect(schema.properties.password).toEqual({ type: 'string', writeOnly: true });
    const withoutAnnotations = Object.fromEntries(
      Object.entries(schema.properties).map(([name, { writeOnly: _w, default: _d, ...rest }]) => [name, rest]),
    );
    expect({ ...schema, properties: withoutAnnotations }).toEqual(n8nSample);
  });

  it('shows types, enums, defaults and the required list', () => {
    const postgres = schemaOf(typeNamed('postgres'));
    expect(postgres.properties.port).toEqual({ type: 'number', default: 5432 });
    expect(postgres.properties.ssl).toEqual({
      type: 'string',
      enum: ['disable', 'allow', 'require', 'verify', 'verify-full'],
      default: 'disable',
    });
    expect(postgres.properties.allowUnauthorizedCerts).toEqual({ type: 'boolean', default: false });
    expect(postgres.required).toEqual([]);
    const ftp = schemaOf(typeNamed('ftp'));
    expect(ftp.required).toEqual(['host', 'port']);
    expect(ftp.properties.port).toEqual({ type: 'number', default: 21 });
    expect(schemaOf(typeNamed('oAuth2Api')).properties.oauthTokenData).toEqual({ type: 'object', writeOnly: true });
  });
});

describe('validateCredentialData', () => {
  it('has a minimal valid object for every type', () => {
    expect(Object.keys(MINIMAL_DATA).sort()).toEqual([...REQUIRED_TYPES].sort());
  });

  it.each(allTypes.map((type) => [type.name, type] as const))('%s: accepts its minimal object', (name, type) => {
    expect(validateCredentialData(type, MINIMAL_DATA[name])).toBeNull();
  });

  it.each(allTypes.map((type) => [type.name, type] as const))('%s: its minimal object holds exactly the required fields', (name, type) => {
    expect(Object.keys(MINIMAL_DATA[name] ?? {}).sort()).toEqual([...schemaOf(type).required].sort());
  });

  it('accepts a full object', () => {
    const data = { user: 'u', password: 'p', allowedHttpRequestDomains: 'domains', allowedDomains: 'example.com' };
    expect(validateCredentialData(typeNamed('httpBasicAuth'), data)).toBeNull();
    expect(validateCredentialData(typeNamed('postgres'), { host: 'db', port: 5433, ssl: 'require', sshTunnel: true })).toBeNull();
  });

  it('names an unknown key as n8n does', () => {
    expect(validateCredentialData(typeNamed('httpBasicAuth'), { nope: 1 })).toBe(
      'request.body.data is not allowed to have the additional property "nope"',
    );
  });

  it('names a missing required key', () => {
    expect(validateCredentialData(typeNamed('slackApi'), {})).toBe('request.body.data requires property "accessToken"');
    expect(validateCredentialData(typeNamed('ftp'), { host: 'example.com' })).toBe('request.body.data requires property "port"');
  });

  it('names a wrong type', () => {
    expect(validateCredentialData(typeNamed('httpBasicAuth'), { user: 1 })).toBe('request.body.data.user is not of a type(s) string');
    expect(validateCredentialData(typeNamed('postgres'), { port: '5432' })).toBe('request.body.data.port is not of a type(s) number');
    expect(validateCredentialData(typeNamed('smtp'), { secure: 'yes' })).toBe('request.body.data.secure is not of a type(s) boolean');
    expect(validateCredentialData(typeNamed('redis'), { password: null })).toBe('request.body.data.password is not of a type(s) string');
  });

  it('names a bad enum value', () => {
    expect(validateCredentialData(typeNamed('httpBasicAuth'), { allowedHttpRequestDomains: 'some' })).toBe(
      'request.body.data.allowedHttpRequestDomains is not one of enum values: all,domains,none',
    );
    expect(validateCredentialData(typeNamed('twilioApi'), { authType: 'password' })).toBe(
      'request.body.data.authType is not one of enum values: authToken,apiKey',
    );
  });

  it('gives a refinement its own message', () => {
    expect(validateCredentialData(typeNamed('httpCustomAuth'), { json: '{"headers":' })).toBe('request.body.data.json is not valid JSON');
  });

  it('joins several problems with commas, unknown keys first and missing keys last', () => {
    expect(validateCredentialData(typeNamed('apiKeyAuth'), { in: 'cookie', extra: true })).toBe(
      [
        'request.body.data is not allowed to have the additional property "extra"',
        'request.body.data.in is not one of enum values: header,query',
        'request.body.data requires property "apiKey"',
      ].join(','),
    );
  });

  it('wants an object', () => {
    for (const data of [null, [], 'user', 1]) {
      expect(validateCredentialData(typeNamed('httpBasicAuth'), data)).toBe('request.body.data is not of a type(s) object');
    }
  });

  describe('partial', () => {
    it('accepts an empty object, even where fields are required', () => {
      for (const type of allTypes) expect(validateCredentialData(type, {}, { partial: true }), type.name).toBeNull();
    });

    it('still rejects an unknown key', () => {
      expect(validateCredentialData(typeNamed('oAuth1Api'), { nope: 1 }, { partial: true })).toBe(
        'request.body.data is not allowed to have the additional property "nope"',
      );
    });

    it('still checks the fields present', () => {
      expect(validateCredentialData(typeNamed('ftp'), { port: '21' }, { partial: true })).toBe(
        'request.body.data.port is not of a type(s) number',
      );
      expect(validateCredentialData(typeNamed('ftp'), { port: 2121 }, { partial: true })).toBeNull();
    });
  });
});
