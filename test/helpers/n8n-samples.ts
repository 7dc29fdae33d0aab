import fs from 'node:fs';
import path from 'node:path';

/** One recorded request/response pair from n8n 2.39 (../shared/reference/n8n-2.39-*.json). */
export interface Sample {
  label: string;
  request: { method: string; path: string; body?: unknown };
  status: number;
  response: unknown;
}

/**
 * Path of a recording in ../shared/reference, beside the repository (there in CI too). A clone elsewhere may not
 * have it: callers skip with the reason when it is missing.
 */
export function samplesPath(fileName: string): string {
  return path.resolve(import.meta.dirname, '../../../shared/reference', fileName);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks a recording; a file that is present but malformed fails the run instead of skipping. */
export function loadSamples(file: string): Sample[] {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array of samples`);
  for (const [i, s] of parsed.entries()) {
    const ok =
      isPlainObject(s) &&
      typeof s.label === 'string' &&
      typeof s.status === 'number' &&
      isPlainObject(s.request) &&
      typeof s.request.method === 'string' &&
      typeof s.request.path === 'string';
    if (!ok) throw new Error(`${file}: sample #${i} is not {label, request:{method, path, body}, status, response}`);
  }
  return parsed as Sample[];
}
