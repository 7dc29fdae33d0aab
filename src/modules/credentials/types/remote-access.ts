import { type CredentialTypeDefinition, defineCredentialType, requiredNumber, requiredText, secret, text } from './fields.ts';

/** SSH and file transfer. n8n requires host and port on all four (and the username for SFTP). */
export const REMOTE_ACCESS_CREDENTIAL_TYPES: CredentialTypeDefinition[] = [
  defineCredentialType('sshPassword', 'SSH Password', {
    host: requiredText(),
    port: requiredNumber(22),
    username: text(),
    password: secret(),
  }),
  defineCredentialType('sshPrivateKey', 'SSH Private Key', {
    host: requiredText(),
    port: requiredNumber(22),
    username: text(),
    privateKey: secret(),
    passphrase: secret(),
  }),
  defineCredentialType('ftp', 'FTP', {
    host: requiredText(),
    port: requiredNumber(21),
    username: text(),
    password: secret(),
  }),
  defineCredentialType('sftp', 'SFTP', {
    host: requiredText(),
    port: requiredNumber(22),
    username: requiredText(),
    password: secret(),
    privateKey: secret(),
    passphrase: secret(),
  }),
];
