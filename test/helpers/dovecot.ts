import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { answersTcp } from './redis.ts';
import { freePort } from './throwaway-postgres.ts';

export const DOVECOT = '/usr/sbin/dovecot';

export interface TestImapServer {
  port: number;
  user: string;
  password: string;
  /** Puts a message (RFC 822 text) into the user's INBOX as new and unseen. */
  deliver(message: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real IMAP server for tests: Debian's Dovecot with a configuration of its own in a temporary folder (one user
 * with a plain password, a Maildir, no TLS, a free port on loopback). Messages are delivered by writing Maildir files.
 */
export async function startTestImapServer(): Promise<TestImapServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flowgate-imap-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const user = 'ada';
  const password = 'imap-secret';
  // As root, the mail files belong to Dovecot's own user; otherwise to whoever runs the tests.
  const root = userInfo().uid === 0;
  const uid = root ? 109 : userInfo().uid;
  const gid = root ? 117 : userInfo().gid;
  const home = path.join(dir, 'home', user);
  const maildir = path.join(home, 'Maildir');
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(path.join(maildir, sub), { recursive: true });
  for (const folder of [path.join(dir, 'home'), home, maildir, ...['cur', 'new', 'tmp'].map((sub) => path.join(maildir, sub))]) {
    if (root) await chown(folder, uid, gid);
  }
  await writeFile(path.join(dir, 'users'), `${user}:{PLAIN}${password}:${uid}:${gid}::${home}\n`);
  await writeFile(
    path.join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = ${dir}/users
}
userdb {
  driver = passwd-file
  args = ${dir}/users
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
`,
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await answersTcp('127.0.0.1', port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  let count = 0;
  return {
    port,
    user,
    password,
    async deliver(message) {
      const file = path.join(maildir, 'new', `${Date.now()}.${process.pid}_${count++}.flowgate`);
      await writeFile(file, message.replace(/\r?\n/g, '\r\n'));
      if (root) await chown(file, uid, gid);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const dovecotInstalled = () => existsSync(DOVECOT);
