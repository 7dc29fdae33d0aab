import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What `npm ci` installs on other machines, and on which Node versions the project claims to run. The lockfile
 * is what a macOS, Windows or Alpine checkout installs from: a platform package missing there is not installed,
 * and `npm test` (which starts with the linter) fails on that platform only.
 */

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface LockEntry {
  version?: string;
  integrity?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  engines?: { node?: string };
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(read('package-lock.json')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };

describe('package-lock.json', () => {
  const biome = lock.packages['node_modules/@biomejs/biome'];

  it('pins the linter that package.json names', () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(biome?.version).toBe(pkg.devDependencies['@biomejs/biome']);
  });

  it.each([
    ['linux-x64', 'linux', 'x64', 'glibc'],
    ['linux-x64-musl', 'linux', 'x64', 'musl'],
    ['linux-arm64', 'linux', 'arm64', 'glibc'],
    ['linux-arm64-musl', 'linux', 'arm64', 'musl'],
    ['darwin-x64', 'darwin', 'x64', undefined],
    ['darwin-arm64', 'darwin', 'arm64', undefined],
    ['win32-x64', 'win32', 'x64', undefined],
  ])('lists the biome binary for %s', (name, os, cpu, libc) => {
    const entry = lock.packages[`node_modules/@biomejs/cli-${name}`];
    expect(entry, `@biomejs/cli-${name} is missing: regenerate the lockfile (npm install --package-lock-only)`).toBeDefined();
    expect(entry?.version).toBe(biome?.version);
    expect(entry?.integrity).toMatch(/^sha512-/);
    expect(entry?.optional).toBe(true);
    expect(entry?.os).toEqual([os]);
    expect(entry?.cpu).toEqual([cpu]);
    expect(entry?.libc).toEqual(libc ? [libc] : undefined);
  });

  it('lists every platform package of every locked package, not just this machine’s', () => {
    const missing: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
        // npm resolves a dependency beside its dependent first, then up the tree.
        const candidates = [`${where}/node_modules/${dep}`, `node_modules/${dep}`];
        if (!candidates.some((c) => lock.packages[c])) missing.push(`${dep} (for ${where || 'the root'})`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('supported Node.js versions', () => {
  it('package.json claims Node 20 from 20.19 on, and README says the same', () => {
    expect(pkg.engines.node).toBe('^20.19.0');
    expect(lock.packages['']?.engines?.node).toBe(pkg.engines.node);
    expect(read('README.md')).toMatch(/^Node\.js 20 \(20\.19 or newer\)/m);
  });

  it('runs on a Node that package.json claims (the version CI checks)', () => {
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(major).toBe(20);
    expect(minor).toBeGreaterThanOrEqual(19);
  });

  it('loads the ES-module-only packages that declare Node 22 but are required from CommonJS (require(esm), 20.19+)', () => {
    // Each from where its dependent resolves it, as at run time.
    const from = (...chain: string[]) => {
      let req = createRequire(path.join(root, 'package.json'));
      for (const name of chain) req = createRequire(req.resolve(name));
      return req;
    };
    const cookie = from('fastify', 'light-my-request')('cookie') as { stringifySetCookie(c: object): string };
    expect(cookie.stringifySetCookie({ name: 'a', value: 'b' })).toBe('a=b');
    const disposition = from('@fastify/swagger-ui', '@fastify/static')('content-disposition') as { create(name: string): string };
    expect(disposition.create('a b.txt')).toBe('attachment; filename="a b.txt"');
  });
});
