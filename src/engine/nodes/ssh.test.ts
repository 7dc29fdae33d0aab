import type { AddressInfo } from 'node:net';
import { Server, utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommandNode } from './execute-command.ts';
import { sshNode } from './ssh.ts';
import { itemsOut, runNode } from './test-support.ts';

/**
 * A local SSH server (ssh2's own server side) that checks the password or key, answers `exec` with what it was
 * asked to run, and keeps files written over SFTP in memory.
 */
const hostKey = utils.generateKeyPairSync('ed25519');
const userKey = utils.generateKeyPairSync('ed25519');
const commands: string[] = [];
const files = new Map<string, Buffer>([['/srv/report.txt', Buffer.from('remote report')]]);
let server: Server;
let port: number;

beforeAll(async () => {
  const allowedKey = utils.parseKey(userKey.public);
  server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    client
      .on('authentication', (ctx) => {
        if (ctx.method === 'password' && ctx.username === 'deploy' && ctx.password === 'pw') return ctx.accept();
        if (
          ctx.method === 'publickey' &&
          !Array.isArray(allowedKey) &&
          !(allowedKey instanceof Error) &&
          ctx.key.data.equals(allowedKey.getPublicSSH())
        )
          return ctx.accept();
        ctx.reject(['password', 'publickey']);
      })
      .on('ready', () => {
        client.on('session', (accept) => {
          const session = accept();
          session.on('exec', (acceptExec, _reject, info) => {
            const stream = acceptExec();
            commands.push(info.command);
            if (info.command.includes('fail')) {
              stream.stderr.write('no such thing\n');
              stream.exit(2);
            } else {
              stream.write(`ran ${info.command}\n`);
              stream.exit(0);
            }
            stream.end();
          });
          session.on('sftp', (acceptSftp) => {
            const sftp = acceptSftp();
            const handles = new Map<number, { path: string; chunks: Buffer[]; read: boolean }>();
            let next = 0;
            sftp.on('OPEN', (reqid, filename, flags) => {
              const handle = Buffer.alloc(4);
              handle.writeUInt32BE(next);
              const reading = (flags & 1) === 1 && (flags & 2) === 0;
              if (reading && !files.has(filename)) return sftp.status(reqid, 2);
              handles.set(next++, { path: filename, chunks: [], read: reading });
              sftp.handle(reqid, handle);
            });
            sftp.on('WRITE', (reqid, handle, _offset, data) => {
              handles.get(handle.readUInt32BE())?.chunks.push(Buffer.from(data));
              sftp.status(reqid, 0);
            });
            sftp.on('FSTAT', (reqid, handle) => {
              const entry = handles.get(handle.readUInt32BE());
              sftp.attrs(reqid, { mode: 0o100644, uid: 0, gid: 0, size: files.get(entry?.path ?? '')?.length ?? 0, atime: 0, mtime: 0 });
            });
            sftp.on('READ', (reqid, handle, offset, length) => {
              const entry = handles.get(handle.readUInt32BE());
              const content = files.get(entry?.path ?? '') ?? Buffer.alloc(0);
              if (offset >= content.length) return sftp.status(reqid, 1);
              sftp.data(reqid, content.subarray(offset, offset + length));
            });
            sftp.on('CLOSE', (reqid, handle) => {
              const entry = handles.get(handle.readUInt32BE());
              if (entry && !entry.read) files.set(entry.path, Buffer.concat(entry.chunks));
              sftp.status(reqid, 0);
            });
          });
        });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const password = () => ({ sshPassword: { host: '127.0.0.1', port, username: 'deploy', password: 'pw' } });

describe('SSH node', () => {
  it('runs a command in the chosen folder with a password and outputs n8n’s { code, signal, stdout, stderr }', async () => {
    const { result } = await runNode(sshNode, {
      parameters: { command: 'ls -la', cwd: "/var/it's here" },
      credentials: password(),
      items: [{ json: {} }, { json: {} }],
    });
    expect(itemsOut(result).map((item) => item.json)).toEqual([
      { code: 0, signal: null, stdout: `ran cd '/var/it'\\''s here' && ls -la`, stderr: '' },
      { code: 0, signal: null, stdout: `ran cd '/var/it'\\''s here' && ls -la`, stderr: '' },
    ]);
    const failed = await runNode(sshNode, { parameters: { command: 'fail now' }, credentials: password() });
    expect(itemsOut(failed.result)[0]?.json).toEqual({ code: 2, signal: null, stdout: '', stderr: 'no such thing' });
  });

  it('logs in with a private key, uploads an item’s file and downloads one as binary', async () => {
    const credentials = { sshPrivateKey: { host: '127.0.0.1', port, username: 'deploy', privateKey: userKey.private } };
    const upload = { data: Buffer.from('local bytes').toString('base64'), mimeType: 'text/plain', fileName: 'notes.txt' };
    await runNode(sshNode, {
      parameters: { authentication: 'privateKey', resource: 'file', operation: 'upload', path: '/srv/in/' },
      credentials,
      items: [{ json: {}, binary: { data: upload } }],
    });
    expect(files.get('/srv/in/notes.txt')?.toString()).toBe('local bytes');
    const { result } = await runNode(sshNode, {
      parameters: { authentication: 'privateKey', resource: 'file', operation: 'download', path: '/srv/report.txt' },
      credentials,
    });
    const file = itemsOut(result)[0]?.binary?.data;
    expect(file).toMatchObject({ fileName: 'report.txt', mimeType: 'text/plain' });
    expect(Buffer.from(file!.data, 'base64').toString()).toBe('remote report');
  });

  it('says why a login fails', async () => {
    await expect(
      runNode(sshNode, {
        parameters: { command: 'id' },
        credentials: { sshPassword: { host: '127.0.0.1', port, username: 'deploy', password: 'wrong' } },
      }),
    ).rejects.toThrow(`SSH connection to 127.0.0.1:${port} failed: All configured authentication methods failed`);
  });
});

describe('Execute Command node', () => {
  it('runs once by default and outputs exitCode, stderr and stdout, without the server’s environment', async () => {
    process.env.FLOWGATE_TEST_SECRET = 'hidden';
    const { result } = await runNode(executeCommandNode, {
      parameters: { command: 'echo out; echo err >&2; echo "secret=$FLOWGATE_TEST_SECRET"' },
      items: [{ json: {} }, { json: {} }],
    });
    expect(itemsOut(result).map((item) => item.json)).toEqual([{ exitCode: 0, stderr: 'err', stdout: 'out\nsecret=' }]);
  });

  it('runs per item when executeOnce is off, and fails the node on a non-zero exit with its stderr', async () => {
    const { result } = await runNode(executeCommandNode, {
      parameters: { command: '=echo {{ $json.n }}', executeOnce: false },
      items: [{ json: { n: 1 } }, { json: { n: 2 } }],
      evaluate: (_expression, itemIndex) => `echo ${itemIndex + 1}`,
    });
    expect(itemsOut(result).map((item) => item.json.stdout)).toEqual(['1', '2']);
    await expect(runNode(executeCommandNode, { parameters: { command: 'echo broken >&2; exit 3' } })).rejects.toThrow(
      'Command failed: echo broken >&2; exit 3\nbroken',
    );
  });
});
