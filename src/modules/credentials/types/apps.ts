import {
  boolean,
  type CredentialTypeDefinition,
  defineCredentialType,
  domainRestrictionFields,
  oneOf,
  requiredSecret,
  secret,
  text,
} from './fields.ts';

/** Credentials of single services. */
export const APP_CREDENTIAL_TYPES: CredentialTypeDefinition[] = [
  // The n8n node's: an n8n (or flowgate) public API and a key for it.
  defineCredentialType('n8nApi', 'n8n API', {
    apiKey: requiredSecret(),
    baseUrl: text('http://localhost:5678/api/v1'),
  }),
  defineCredentialType('slackApi', 'Slack API', {
    accessToken: requiredSecret(),
    signatureSecret: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('githubApi', 'GitHub API', {
    server: text('https://api.github.com'),
    user: text(),
    accessToken: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('gitlabApi', 'GitLab API', {
    server: text('https://gitlab.com'),
    accessToken: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('notionApi', 'Notion API', {
    apiKey: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('airtableTokenApi', 'Airtable Personal Access Token API', {
    accessToken: secret(),
    ...domainRestrictionFields(),
  }),
  // No `authenticate` block in n8n (the token goes into the URL path), so no domain restriction fields.
  defineCredentialType('telegramApi', 'Telegram API', {
    accessToken: secret(),
    baseUrl: text('https://api.telegram.org'),
  }),
  defineCredentialType('discordBotApi', 'Discord Bot API', {
    botToken: requiredSecret(),
    applicationId: text(),
    publicKey: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('openAiApi', 'OpenAI', {
    apiKey: requiredSecret(),
    organizationId: text(),
    url: text('https://api.openai.com/v1'),
    header: boolean(),
    headerName: text(),
    headerValue: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('anthropicApi', 'Anthropic', {
    apiKey: requiredSecret(),
    url: text('https://api.anthropic.com'),
    header: boolean(),
    headerName: text(),
    headerValue: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('stripeApi', 'Stripe API', {
    secretKey: secret(),
    signatureSecret: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('twilioApi', 'Twilio API', {
    authType: oneOf(['authToken', 'apiKey'], 'authToken'),
    accountSid: text(),
    authToken: secret(),
    // n8n marks the API key SID as a password field too.
    apiKeySid: secret(),
    apiKeySecret: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('jiraSoftwareCloudApi', 'Jira SW Cloud API', {
    email: text(),
    apiToken: secret(),
    domain: text(),
    ...domainRestrictionFields(),
  }),
];
