import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

/**
 * Prisma's own migration engine, compiled to wasm and driven through the pg driver adapter.
 * The Prisma 7 CLI cannot migrate offline (it downloads a native engine first); this can, and it writes the
 * standard `_prisma_migrations` table, so a native `prisma migrate deploy` accepts the history later.
 * The wasm API is internal to Prisma: the package versions are pinned exactly for that reason.
 */

export const PRISMA_DIR = path.resolve(import.meta.dirname, '../../prisma');
const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');
const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');

type SchemaEngine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout?: string }>;
};

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: unknown };
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

let runtimePromise: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined;

/** The wasm module keeps global state: instantiate it once per process, then create engines from it. */
function loadRuntime() {
  runtimePromise ??= (async () => {
    // The engine reports Rust panics through this global; without it a panic surfaces as a TypeError.
    const globals = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
    globals.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message: (message) => {
        throw new Error(`Prisma schema engine panicked: ${message}`);
      },
    };
    const runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = path.join(path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    // WebAssembly's types live in the DOM lib, which this Node project does not load.
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = new wasm.Instance(new wasm.Module(await readFile(wasmPath)), { './schema_engine_bg.js': runtime });
    const exports = instance.exports as unknown as { __wbindgen_start(): void };
    runtime.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return runtime;
  })();
  return runtimePromise;
}

/**
 * Runs `fn` with an engine connected to `connectionString`, then frees the engine and closes its connections
 * (an open pool would, for one, keep a template database from being cloned).
 */
async function withEngine<T>(
  connectionString: string,
  onLog: (line: string) => void,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const runtime = await loadRuntime();
  const datamodel = await readFile(SCHEMA_PATH, 'utf8');
  const factory = new PrismaPg({ connectionString, max: 2 });
  const opened: { dispose(): Promise<void> }[] = [];
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    opened.push(adapter);
    return adapter;
  };
  const engine = (await runtime.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, datamodel]] },
    onLog,
    bindMigrationAwareSqlAdapterFactory(factory),
  )) as unknown as SchemaEngine & { free(): void };
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose().catch(() => {})));
  }
}

async function migrationsList(through?: string) {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && (through === undefined || d.name <= through))
    .map((d) => d.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: await readFile(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockfile = await readFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8').catch(() => undefined);
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: lockfile },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/**
 * Applies every committed migration not yet recorded in `_prisma_migrations` (with `through`, only those up to
 * that one: an upgrade test starts from an older schema); returns the names applied.
 */
export async function applyMigrationFiles(
  connectionString: string,
  onLog: (line: string) => void = () => {},
  through?: string,
): Promise<string[]> {
  const list = await migrationsList(through);
  const result = await withEngine(connectionString, onLog, (engine) =>
    engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS }),
  );
  return result.appliedMigrationNames;
}

/**
 * SQL that turns a database built from `fromSchema` (or an empty one) into the current schema.prisma.
 * The engine insists on a reachable database even though a schema-to-schema diff reads nothing from it.
 */
export async function diffSchemaSql(connectionString: string, fromSchema: string | undefined): Promise<string> {
  const to = { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: await readFile(SCHEMA_PATH, 'utf8') }] };
  const from =
    fromSchema === undefined ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: fromSchema }] };
  let sql = '';
  const origWrite = process.stdout.write.bind(process.stdout);
  // The engine prints the script to stdout itself; capture it instead of letting it mix with our output.
  process.stdout.write = ((chunk: string | Uint8Array) => {
    sql += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await withEngine(
      connectionString,
      () => {},
      (engine) => engine.diff({ from, to, script: true, exitCode: null, filters: NO_FILTERS }),
    );
    if (result.stdout) sql += result.stdout;
  } finally {
    process.stdout.write = origWrite;
  }
  return sql;
}
