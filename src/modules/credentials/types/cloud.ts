import {
  boolean,
  type CredentialTypeDefinition,
  defineCredentialType,
  domainRestrictionFields,
  requiredSecret,
  requiredText,
  secret,
  text,
} from './fields.ts';

export const CLOUD_CREDENTIAL_TYPES: CredentialTypeDefinition[] = [
  defineCredentialType('aws', 'AWS (IAM)', {
    // n8n offers a fixed list of regions; kept as a string here so a new region needs no release.
    region: text('us-east-1'),
    accessKeyId: text(),
    secretAccessKey: secret(),
    temporaryCredentials: boolean(),
    sessionToken: secret(),
    customEndpoints: boolean(),
    rekognitionEndpoint: text(),
    lambdaEndpoint: text(),
    snsEndpoint: text(),
    sesEndpoint: text(),
    sqsEndpoint: text(),
    s3Endpoint: text(),
    ssmEndpoint: text(),
    bedrockEndpoint: text(),
    bedrockRuntimeEndpoint: text(),
    ...domainRestrictionFields(),
  }),
  // n8n's service-account type ("inpersonate" is n8n's spelling).
  defineCredentialType('googleApi', 'Google Service Account API', {
    region: text('global'),
    email: requiredText(),
    privateKey: requiredSecret(),
    inpersonate: boolean(),
    delegatedEmail: text(),
    httpNode: boolean(),
    scopes: text(),
    ...domainRestrictionFields(),
  }),
];
