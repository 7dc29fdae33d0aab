import {
  boolean,
  type CredentialTypeDefinition,
  defineCredentialType,
  domainRestrictionFields,
  jsonText,
  number,
  oauthTokenData,
  oneOf,
  requiredOneOf,
  requiredSecret,
  requiredSecretJsonText,
  requiredText,
  secret,
  text,
} from './fields.ts';

/** The generic HTTP credentials (the HTTP Request node's), plus flowgate's own API-key type. */
export const HTTP_CREDENTIAL_TYPES: CredentialTypeDefinition[] = [
  defineCredentialType('httpBasicAuth', 'Basic Auth', {
    user: text(),
    password: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('httpHeaderAuth', 'Header Auth', {
    name: text(),
    value: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('httpQueryAuth', 'Query Auth', {
    name: text(),
    value: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('httpBearerAuth', 'Bearer Auth', {
    token: secret(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('httpCustomAuth', 'Custom Auth', {
    // `{ "headers": {...}, "body": {...}, "qs": {...} }` as a JSON string.
    json: requiredSecretJsonText(),
    ...domainRestrictionFields(),
  }),
  // flowgate's own: n8n has no generic API-key type (it uses httpHeaderAuth / httpQueryAuth).
  defineCredentialType('apiKeyAuth', 'API Key Auth', {
    apiKey: requiredSecret(),
    in: oneOf(['header', 'query'], 'header'),
    name: text('X-API-Key'),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('oAuth2Api', 'OAuth2 API', {
    grantType: oneOf(['authorizationCode', 'clientCredentials', 'pkce'], 'authorizationCode'),
    authUrl: text(),
    accessTokenUrl: requiredText(),
    clientId: requiredText(),
    clientSecret: requiredSecret(),
    scope: text(),
    authQueryParameters: text(),
    authentication: oneOf(['body', 'header'], 'header'),
    sendAdditionalBodyProperties: boolean(),
    additionalBodyProperties: jsonText(),
    ignoreSSLIssues: boolean(),
    tokenExpiredStatusCode: number(401),
    oauthTokenData: oauthTokenData(),
    ...domainRestrictionFields(),
  }),
  defineCredentialType('oAuth1Api', 'OAuth1 API', {
    authUrl: requiredText(),
    accessTokenUrl: requiredText(),
    consumerKey: requiredSecret(),
    consumerSecret: requiredSecret(),
    requestTokenUrl: requiredText(),
    signatureMethod: requiredOneOf(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512'], 'HMAC-SHA1'),
    oauthTokenData: oauthTokenData(),
    ...domainRestrictionFields(),
  }),
];
