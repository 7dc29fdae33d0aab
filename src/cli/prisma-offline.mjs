// Runs the Prisma CLI without network access.
// Every Prisma 7 CLI command first tries to download the native schema-engine binary, which fails offline.
// `generate`, `validate` and `format` never execute that binary, so pointing PRISMA_SCHEMA_ENGINE_BINARY at a
// stub that exits 1 lets them run; commands that would need it (migrate, db push) fail loudly instead of
// silently doing nothing. Migrations are applied by our own wasm-based migrator (`npm run db:migrate`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, 'src/cli/no-schema-engine.sh');
const result = spawnSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
  cwd: root,
});
process.exit(result.status ?? 1);
