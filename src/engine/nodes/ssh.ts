import { Client, type ConnectConfig } from 'ssh2';
import { binaryProperty } from '../binary-data.ts';
import { type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

const CONNECT_TIMEOUT_MS = 20_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** A shell word: the cwd goes into `cd '<dir>'`, so a quote in it cannot end the word. */
const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

async function connect(ctx: NodeContext): Promise<Client> {
  const auth = ctx.getParam<string>('authentication', 0, 'password');
  const secret: JsonObject = await ctx.getCredentials(auth === 'privateKey' ? 'sshPrivateKey' : 'sshPassword');
  const config: ConnectConfig = {
    host: String(secret.host ?? ''),
    port: Number(secret.port ?? 22),
    username: String(secret.username ?? ''),
    readyTimeout: CONNECT_TIMEOUT_MS,
    ...(auth === 'privateKey'
      ? {
          privateKey: String(secret.privateKey ?? '').replace(/\\n/g, '\n'),
          ...(secret.passphrase ? { passphrase: String(secret.passphrase) } : {}),
        }
      : { password: String(secret.password ?? '') }),
  };
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    const abort = () => {
      client.end();
      reject(new NodeOperationError('The execution was stopped while connecting over SSH'));
    };
    ctx.signal.addEventListener('abort', abort, { once: true });
    client
      .once('ready', () => {
        ctx.signal.removeEventListener('abort', abort);
        resolve();
      })
      .once('error', (error) => {
        ctx.signal.removeEventListener('abort', abort);
        reject(new NodeOperationError(`SSH connection to ${config.host}:${config.port} failed: ${error.message}`));
      })
      .connect(config);
  });
  return client;
}

/** n8n's SSH output for a command (node-ssh's execCommand): `{ code, signal, stdout, stderr }`. */
function execute(client: Client, command: string, signal: AbortSignal): Promise<JsonObject> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(new NodeOperationError(`The command could not be started: ${error.message}`));
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_OUTPUT_BYTES) {
          stream.close();
          reject(new NodeOperationError('The command printed more than 16 MiB'));
        } else into.push(chunk);
      };
      signal.addEventListener('abort', () => stream.close(), { once: true });
      stream.on('data', collect(out));
      stream.stderr.on('data', collect(err));
      stream.on('close', (code: number | null, exitSignal: string | null) =>
        resolve({
          code: code ?? null,
          signal: exitSignal ?? null,
          stdout: Buffer.concat(out).toString('utf8').trimEnd(),
          stderr: Buffer.concat(err).toString('utf8').trimEnd(),
        }),
      );
    });
  });
}

function sftpOf(client: Client) {
  return new Promise<import('ssh2').SFTPWrapper>((resolve, reject) =>
    client.sftp((error, sftp) => (error ? reject(new NodeOperationError(`SFTP is not available: ${error.message}`)) : resolve(sftp))),
  );
}

/**
 * n8n's SSH node: run a command in a folder (`command:execute`), upload an item's file (`file:upload`) or download
 * one (`file:download`), with a password or a private key. Off by default (NODES_EXCLUDE).
 */
export const sshNode: NodeType = {
  type: 'n8n-nodes-base.ssh',
  typeVersions: [1],
  operations: ['command:execute', 'file:upload', 'file:download'],
  async execute(ctx) {
    const client = await connect(ctx);
    try {
      const output: Item[] = [];
      for (const [itemIndex, item] of ctx.items.entries()) {
        const resource = ctx.getParam<string>('resource', itemIndex, 'command');
        const operation = ctx.getParam<string>('operation', itemIndex, resource === 'file' ? 'upload' : 'execute');
        if (resource === 'command') {
          const cwd = ctx.getParam<string>('cwd', itemIndex, '/');
          const command = ctx.getParam<string>('command', itemIndex, '');
          output.push({ json: await execute(client, `cd ${quoted(cwd)} && ${command}`, ctx.signal), pairedItem: { item: itemIndex } });
        } else if (operation === 'upload') {
          const name = ctx.getParam<string>('binaryPropertyName', itemIndex, 'data');
          const file = binaryProperty(item, name, itemIndex);
          const folder = ctx.getParam<string>('path', itemIndex, '');
          const fileName = ctx.getParam<string>('options.fileName', itemIndex, '') || file.fileName || name;
          const sftp = await sftpOf(client);
          const remote = `${folder.replace(/\/$/, '')}/${fileName}`;
          const bytes = await ctx.binary.buffer(file);
          await new Promise<void>((resolve, reject) => sftp.writeFile(remote, bytes, (e) => (e ? reject(e) : resolve())));
          output.push({ json: { success: true }, pairedItem: { item: itemIndex } });
        } else if (operation === 'download') {
          const remote = ctx.getParam<string>('path', itemIndex, '');
          const sftp = await sftpOf(client);
          const bytes = await new Promise<Buffer>((resolve, reject) => sftp.readFile(remote, (e, data) => (e ? reject(e) : resolve(data))));
          const property = ctx.getParam<string>('binaryPropertyName', itemIndex, 'data');
          const file = await ctx.binary.prepare(bytes, { fileName: remote.split('/').pop() || 'file' });
          output.push({ json: item.json, binary: { ...item.binary, [property]: file }, pairedItem: { item: itemIndex } });
        } else {
          throw new NodeOperationError(`The SSH operation "${resource}:${operation}" is not supported by this server`, { itemIndex });
        }
      }
      return [output];
    } finally {
      client.end();
    }
  },
};
