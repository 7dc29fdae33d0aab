import { boolean, type CredentialTypeDefinition, defineCredentialType, number, secret, text } from './fields.ts';

export const MAIL_CREDENTIAL_TYPES: CredentialTypeDefinition[] = [
  defineCredentialType('smtp', 'SMTP', {
    user: text(),
    password: secret(),
    host: text(),
    port: number(465),
    secure: boolean(true),
    disableStartTls: boolean(),
    hostName: text(),
  }),
  defineCredentialType('imap', 'IMAP', {
    user: text(),
    password: secret(),
    host: text(),
    port: number(993),
    secure: boolean(true),
    allowUnauthorizedCerts: boolean(),
  }),
];
