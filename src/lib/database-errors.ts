import { type AppError, BusyError, ConflictError, NotFoundError } from './errors.ts';

/**
 * What a failed query tells about itself, read from any of the three shapes a database error reaches the error
 * handler in:
 * - plain pg (the hot queries on the shared pool): a `DatabaseError` with the SQLSTATE in `code`, and `constraint`,
 *   `table` and `detail` (`Key (name)=(x) already exists.`);
 * - Prisma through the pg driver adapter: a `PrismaClientKnownRequestError` whose `code` is Prisma's (P2002 unique,
 *   P2025 not found, P2034 write conflict or deadlock, P2010 a raw query failed, P2039 any other database error) and
 *   whose `meta.driverAdapterError.cause` holds the SQLSTATE (`originalCode`), `constraint` (`{ index }` or
 *   `{ fields }`) and `table`;
 * - the adapter's own `DriverAdapterError`, which Prisma rethrows as is for some kinds, with the same `cause`.
 */
export interface DatabaseErrorFacts {
  sqlState?: string;
  prismaCode?: string;
  constraint?: string;
  table?: string;
  fields?: string[];
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const PRISMA_CODE = /^P\d{4}$/;

type Loose = Record<string, unknown>;
const asObject = (value: unknown): Loose | undefined => (typeof value === 'object' && value !== null ? (value as Loose) : undefined);
const asString = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** `Key (workflow_id, tag_id)=(...) already exists.` → `['workflow_id', 'tag_id']`. */
function fieldsFromDetail(detail: string | undefined): string[] | undefined {
  return detail
    ?.match(/^Key \(([^)]+)\)=/)?.[1]
    ?.split(',')
    .map((f) => f.trim().replaceAll('"', ''));
}

/** The driver adapter's `cause`: `{ originalCode, kind, constraint?: { index } | { fields }, table? }`. */
function fromAdapterCause(cause: Loose | undefined): Omit<DatabaseErrorFacts, 'prismaCode'> {
  if (!cause) return {};
  const constraint = asObject(cause.constraint);
  const fields = Array.isArray(constraint?.fields) ? constraint.fields.filter((f): f is string => typeof f === 'string') : undefined;
  return {
    sqlState: asString(cause.originalCode),
    constraint: asString(constraint?.index),
    table: asString(cause.table),
    fields: fields?.length ? fields : undefined,
  };
}

/** The facts of a database error, or undefined when `err` is not one. */
export function databaseErrorFacts(err: unknown): DatabaseErrorFacts | undefined {
  const e = asObject(err);
  if (!e) return undefined;
  const code = asString(e.code);
  if (e.name === 'DriverAdapterError') return fromAdapterCause(asObject(e.cause));
  if (code && PRISMA_CODE.test(code) && e.name === 'PrismaClientKnownRequestError') {
    const meta = asObject(e.meta);
    const facts = fromAdapterCause(asObject(asObject(meta?.driverAdapterError)?.cause));
    return { ...facts, prismaCode: code, table: facts.table ?? asString(meta?.table) };
  }
  // pg's DatabaseError: a SQLSTATE and a severity (socket errors have a code too, but no severity).
  if (code && SQLSTATE.test(code) && typeof e.severity === 'string') {
    return {
      sqlState: code,
      constraint: asString(e.constraint),
      table: asString(e.table),
      fields: fieldsFromDetail(asString(e.detail)),
    };
  }
  return undefined;
}

const isUnique = (facts: DatabaseErrorFacts) => facts.sqlState === '23505' || facts.prismaCode === 'P2002';

/** Whether `err` is a unique violation, in any of the shapes above: for services that answer one with their own text. */
export function isUniqueViolation(err: unknown): boolean {
  const facts = databaseErrorFacts(err);
  return facts !== undefined && isUnique(facts);
}

const words = (name: string) => name.replaceAll('_', ' ');

/**
 * `tag_name_key` on `tag` → `['name']`, Prisma's and PostgreSQL's naming of unique indexes (`<table>_<columns>_key`);
 * undefined for any other name (`_pkey` included: its columns are not in its name).
 */
function fieldsFromConstraint(constraint: string | undefined, table: string | undefined): string[] | undefined {
  if (!constraint || !table || !constraint.startsWith(`${table}_`) || !constraint.endsWith('_key')) return undefined;
  const columns = constraint.slice(table.length + 1, -'_key'.length);
  return columns ? [columns] : undefined;
}

/** A unique violation: name what is taken as far as the constraint tells. */
function uniqueViolation(facts: DatabaseErrorFacts): ConflictError {
  const fields = facts.fields ?? fieldsFromConstraint(facts.constraint, facts.table);
  const table = facts.table ? words(facts.table) : 'record';
  const what = `${/^[aeiou]/.test(table) ? 'An' : 'A'} ${table}`;
  const message = fields?.length
    ? `${what} with this ${fields.map(words).join(' and ')} already exists.`
    : `${what} that conflicts with this one already exists${facts.constraint ? ` (unique constraint "${facts.constraint}")` : ''}.`;
  const details = { ...(facts.constraint ? { constraint: facts.constraint } : {}), ...(fields?.length ? { fields } : {}) };
  return new ConflictError(message, Object.keys(details).length ? details : undefined);
}

/**
 * Maps a database error to the answer a client can act on: a unique violation is a 409, a lock that did not come
 * free in time or a transaction PostgreSQL rolled back to break a deadlock or a serialization conflict is a 503
 * to retry, a record that vanished under an update is a 404. Anything else: undefined (a 500).
 */
export function toDatabaseAppError(err: unknown): AppError | undefined {
  const facts = databaseErrorFacts(err);
  if (!facts) return undefined;
  const { sqlState, prismaCode } = facts;
  if (isUnique(facts)) return uniqueViolation(facts);
  if (sqlState === '55P03') {
    return new BusyError(
      'The resource is locked by another request that is still running, and it did not come free in time. Retry the request.',
    );
  }
  if (sqlState === '40001' || sqlState === '40P01' || prismaCode === 'P2034') {
    const reason =
      sqlState === '40001' ? 'a serialization conflict' : sqlState === '40P01' ? 'a deadlock' : 'a write conflict or a deadlock';
    return new BusyError(`The request collided with a concurrent change (${reason}) and was rolled back. Retry the request.`);
  }
  if (prismaCode === 'P2025') return new NotFoundError();
  return undefined;
}
