import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODE_NAMES, ERROR_CODES } from './error-codes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
// Not response codes: generated Prisma code, and Node's socket error codes (ENOTFOUND, ...) in the net guard.
const SKIPPED = [path.join(SRC, 'generated'), path.join(SRC, 'lib', 'net')];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (SKIPPED.includes(full)) return [];
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/**
 * Every way a code gets into an error body: `new AppError(400, 'X'`, an AppError subclass's `super(404, 'X'`, the
 * diff engine's `new OperationError('X'` and its `ErrorCode` union, and `code: 'X'` in a body or problem literal.
 */
const PATTERNS = [
  /new AppError\(\s*\d{3},\s*'([A-Z][A-Z_]+)'/g,
  /super\(\s*\d{3},\s*'([A-Z][A-Z_]+)'/g,
  /new OperationError\(\s*'([A-Z][A-Z_]+)'/g,
  /\bcode: '([A-Z][A-Z_]+)'/g,
];

function codesInSource(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const add = (code: string, file: string) => {
    if (!found.has(code)) found.set(code, new Set());
    found.get(code)!.add(path.relative(ROOT, file));
  };
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of PATTERNS) for (const match of text.matchAll(pattern)) add(match[1]!, file);
    const union = text.match(/export type ErrorCode = ((?:'[A-Z_]+'(?: \| )?)+);/);
    for (const code of union?.[1]?.match(/[A-Z_]+/g) ?? []) add(code, file);
  }
  return found;
}

/** The README's code table: rows `| \`CODE\` | status | when |` in the "Using the API" section. */
function codesInReadme(): Map<string, { status: number; when: string }> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Using the API\n'));
  if (!section) throw new Error('README.md has no "## Using the API" section');
  const rows = [...section.matchAll(/^\s*\| `([A-Z][A-Z_]+)` \| (\d{3}) \| (.*) \|$/gm)];
  return new Map(rows.map((row) => [row[1]!, { status: Number(row[2]), when: row[3]! }]));
}

describe('error codes', () => {
  it('every code the source can answer with is registered, and every registered code is used', () => {
    const found = codesInSource();
    const unregistered = [...found].filter(([code]) => !(code in ERROR_CODES)).map(([code, files]) => `${code} (${[...files].join(', ')})`);
    expect(unregistered, 'codes used in src/ but missing from src/lib/error-codes.ts').toEqual([]);
    expect(
      ERROR_CODE_NAMES.filter((code) => !found.has(code)),
      'codes registered but never sent',
    ).toEqual([]);
  });

  it('README.md lists exactly the registered codes, each with its status and when it is sent', () => {
    const listed = codesInReadme();
    expect([...listed.keys()].sort()).toEqual([...ERROR_CODE_NAMES].sort());
    const plain = (text: string) => text.replaceAll('`', '');
    for (const code of ERROR_CODE_NAMES) {
      expect(listed.get(code)?.status, code).toBe(ERROR_CODES[code].status);
      expect(plain(listed.get(code)?.when ?? ''), code).toBe(plain(ERROR_CODES[code].when));
    }
  });

  it('codes are UPPER_SNAKE and each status is an error status', () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });
});
