import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let source: string | undefined;

/**
 * Luxon's browser ("global") build as text, for loading into an isolate: it defines `var luxon`. The package's
 * exports map hides the file, so it is found beside the resolvable entry point (build/node → build/global).
 */
export function luxonGlobalSource(): string {
  if (!source) {
    const entry = createRequire(import.meta.url).resolve('luxon');
    source = readFileSync(join(dirname(entry), '..', 'global', 'luxon.js'), 'utf8');
  }
  return source;
}
