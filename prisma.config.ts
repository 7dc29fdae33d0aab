import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses this file (see src/cli/prisma-offline.mjs); the server connects through the driver
// adapter with the URL from its own config, and migrations are applied by src/db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54329/flowgate' },
});
