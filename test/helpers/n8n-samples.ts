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

/** One captured n8n 2.39 sample by label, or undefined when the recording is not beside this clone. */
export function capturedSample(fileName: string, label: string): Sample | undefined {
  const file = samplesPath(fileName);
  if (!fs.existsSync(file)) return undefined;
  return loadSamples(file).find((sample) => sample.label === label);
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

export interface ShapeReport {
  missing: string[];
  extra: string[];
  wrongType: string[];
}

/** Every key of n8n's value must be in ours: nested objects recursively, arrays through their first element. */
export function compareShape(theirs: unknown, ours: unknown, at: string, report: ShapeReport): void {
  if (Array.isArray(theirs)) {
    if (!Array.isArray(ours)) {
      report.wrongType.push(`${at || '(root)'}: n8n has an array, we have ${JSON.stringify(ours)?.slice(0, 80)}`);
      return;
    }
    if (theirs.length === 0) return;
    if (ours.length === 0) {
      report.wrongType.push(`${at || '(root)'}: n8n has ${theirs.length} element(s), we have none to compare`);
      return;
    }
    compareShape(theirs[0], ours[0], `${at}[]`, report);
    return;
  }
  if (!isPlainObject(theirs)) return;
  if (!isPlainObject(ours)) {
    report.wrongType.push(`${at || '(root)'}: n8n has an object, we have ${JSON.stringify(ours)?.slice(0, 80)}`);
    return;
  }
  const prefix = at ? `${at}.` : '';
  for (const key of Object.keys(theirs)) {
    if (!(key in ours)) report.missing.push(`${prefix}${key}`);
    else compareShape(theirs[key], ours[key], `${prefix}${key}`, report);
  }
  for (const key of Object.keys(ours)) {
    if (!(key in theirs)) report.extra.push(`${prefix}${key}`);
  }
}
