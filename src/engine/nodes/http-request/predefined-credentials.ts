import type { JsonObject } from '../../types.ts';
import type { RequestSpec } from './request-spec.ts';

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
const basic = (user: unknown, password: unknown) => `Basic ${Buffer.from(`${text(user)}:${text(password)}`).toString('base64')}`;

/**
 * How each service credential type of this server authenticates a request in HTTP Request's "predefined credential
 * type" mode (n8n's `authenticate` rule of the type): the headers (or query) it adds.
 */
export const PREDEFINED_AUTH: Record<string, (spec: RequestSpec, credential: JsonObject) => void> = {
  slackApi(spec, { accessToken }) {
    spec.headers.authorization = `Bearer ${text(accessToken)}`;
  },
  githubApi(spec, { accessToken }) {
    spec.headers.authorization = `token ${text(accessToken)}`;
  },
  gitlabApi(spec, { accessToken }) {
    spec.headers['private-token'] = text(accessToken);
  },
  notionApi(spec, { apiKey }) {
    spec.headers.authorization = `Bearer ${text(apiKey)}`;
    spec.headers['notion-version'] ??= '2022-02-22';
  },
  airtableTokenApi(spec, { accessToken }) {
    spec.headers.authorization = `Bearer ${text(accessToken)}`;
  },
  discordBotApi(spec, { botToken }) {
    spec.headers.authorization = `Bot ${text(botToken)}`;
  },
  openAiApi(spec, { apiKey, organizationId, header, headerName, headerValue }) {
    spec.headers.authorization = `Bearer ${text(apiKey)}`;
    if (organizationId) spec.headers['openai-organization'] = text(organizationId);
    if (header && headerName) spec.headers[text(headerName).toLowerCase()] = text(headerValue);
  },
  anthropicApi(spec, { apiKey, header, headerName, headerValue }) {
    spec.headers['x-api-key'] = text(apiKey);
    spec.headers['anthropic-version'] ??= '2023-06-01';
    if (header && headerName) spec.headers[text(headerName).toLowerCase()] = text(headerValue);
  },
  stripeApi(spec, { secretKey }) {
    spec.headers.authorization = `Bearer ${text(secretKey)}`;
  },
  twilioApi(spec, { authType, accountSid, authToken, apiKeySid, apiKeySecret }) {
    spec.headers.authorization = authType === 'apiKey' ? basic(apiKeySid, apiKeySecret) : basic(accountSid, authToken);
  },
  jiraSoftwareCloudApi(spec, { email, apiToken }) {
    spec.headers.authorization = basic(email, apiToken);
  },
  n8nApi(spec, { apiKey }) {
    spec.headers['x-n8n-api-key'] = text(apiKey);
  },
};
