import { createHash } from 'node:crypto';
import { newId } from '../../lib/ids.ts';

/** `n8n_api_` keeps the look of n8n's keys (some tools recognise it); 40 base62 characters carry ~238 bits. */
const KEY_PREFIX = 'n8n_api_';

export function generateApiKey(): string {
  return `${KEY_PREFIX}${newId(40)}`;
}

/**
 * Keys are long random strings, so a fast unsalted SHA-256 is enough to make a stolen table useless and keeps
 * the per-request check cheap; a slow password hash would protect nothing more here.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The last characters identify a key in listings without revealing it (stored with the key). */
export function keyHint(key: string): string {
  return key.slice(-4);
}

/** How a stored hint is shown, by the API and the CLI alike: `n8n_api_…AbCd`. */
export function displayKeyHint(storedHint: string): string {
  return `${KEY_PREFIX}…${storedHint}`;
}
