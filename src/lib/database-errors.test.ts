import { describe, expect, it } from 'vitest';
import { databaseErrorFacts, toDatabaseAppError } from './database-errors.ts';
import { BusyError, ConflictError, NotFoundError } from './errors.ts';

// The shapes below are the ones pg 8 and Prisma 7's pg driver adapter produce (see the integration test
// test/integration/database-errors.test.ts for the same errors provoked on a real PostgreSQL).
const pgError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('pg says'), { name: 'error', code, severity: 'ERROR', ...extra });

const prismaError = (code: string, cause?: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
  Object.assign(new Error('prisma says'), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: { ...meta, ...(cause ? { driverAdapterError: { name: 'DriverAdapterError', cause } } : {}) },
  });

describe('databaseErrorFacts', () => {
  it('reads plain pg errors, with the columns from the detail', () => {
    const err = pgError('23505', {
      constraint: 'execution_tag_pkey',
      table: 'execution_tag',
      detail: 'Key (execution_id, tag_id)=(1, abc) already exists.',
    });
    expect(databaseErrorFacts(err)).toEqual({
      sqlState: '23505',
      constraint: 'execution_tag_pkey',
      table: 'execution_tag',
      fields: ['execution_id', 'tag_id'],
    });
  });

  it('reads Prisma errors through the driver adapter cause', () => {
    const err = prismaError('P2002', {
      originalCode: '23505',
      kind: 'UniqueConstraintViolation',
      constraint: { index: 'tag_name_key' },
      table: 'tag',
    });
    expect(databaseErrorFacts(err)).toEqual({
      prismaCode: 'P2002',
      sqlState: '23505',
      constraint: 'tag_name_key',
      table: 'tag',
      fields: undefined,
    });
  });

  it('reads the adapter error Prisma rethrows as is', () => {
    const err = Object.assign(new Error('x'), { name: 'DriverAdapterError', cause: { originalCode: '55P03', kind: 'postgres' } });
    expect(databaseErrorFacts(err)?.sqlState).toBe('55P03');
  });

  it('ignores what is not a database error (socket errors, app errors, plain values)', () => {
    expect(databaseErrorFacts(Object.assign(new Error('x'), { code: 'ECONNREFUSED', syscall: 'connect' }))).toBeUndefined();
    expect(databaseErrorFacts(new Error('x'))).toBeUndefined();
    expect(databaseErrorFacts('23505')).toBeUndefined();
    expect(databaseErrorFacts(null)).toBeUndefined();
  });
});

describe('toDatabaseAppError', () => {
  it('a unique violation is a 409 CONFLICT naming the columns', () => {
    const err = toDatabaseAppError(
      pgError('23505', {
        constraint: 'workflow_tag_pkey',
        table: 'workflow_tag',
        detail: 'Key (workflow_id, tag_id)=(a, b) already exists.',
      }),
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({
      statusCode: 409,
      code: 'CONFLICT',
      message: 'A workflow tag with this workflow id and tag id already exists.',
      details: { constraint: 'workflow_tag_pkey', fields: ['workflow_id', 'tag_id'] },
    });
  });

  it('a Prisma unique violation takes the columns from a <table>_<column>_key index name', () => {
    const err = toDatabaseAppError(prismaError('P2002', { originalCode: '23505', constraint: { index: 'tag_name_key' }, table: 'tag' }));
    expect(err).toMatchObject({
      statusCode: 409,
      message: 'A tag with this name already exists.',
      details: { constraint: 'tag_name_key', fields: ['name'] },
    });
  });

  it('an execution tag: the article fits the word', () => {
    const err = toDatabaseAppError(
      pgError('23505', { table: 'execution_tag', detail: 'Key (execution_id, tag_id)=(1, b) already exists.' }),
    );
    expect(err?.message).toBe('An execution tag with this execution id and tag id already exists.');
  });

  it('a unique violation with only a constraint name says that name', () => {
    const err = toDatabaseAppError(
      prismaError('P2002', { originalCode: '23505', constraint: { index: 'workflow_name_once' }, table: 'workflow' }),
    );
    expect(err).toMatchObject({
      statusCode: 409,
      message: 'A workflow that conflicts with this one already exists (unique constraint "workflow_name_once").',
      details: { constraint: 'workflow_name_once' },
    });
    expect(toDatabaseAppError(prismaError('P2002'))).toMatchObject({
      statusCode: 409,
      message: 'A record that conflicts with this one already exists.',
    });
    expect(toDatabaseAppError(prismaError('P2002'))?.details).toBeUndefined();
  });

  it('a raw Prisma query failing on a unique violation (P2010) is a 409 too', () => {
    const err = toDatabaseAppError(
      prismaError('P2010', { originalCode: '23505', kind: 'UniqueConstraintViolation', constraint: { fields: ['path'] } }),
    );
    expect(err).toMatchObject({ statusCode: 409, message: 'A record with this path already exists.' });
  });

  it('a lock timeout is a 503 BUSY to retry, on either path', () => {
    for (const err of [pgError('55P03'), prismaError('P2010', { originalCode: '55P03', kind: 'postgres' })]) {
      const mapped = toDatabaseAppError(err);
      expect(mapped).toBeInstanceOf(BusyError);
      expect(mapped).toMatchObject({ statusCode: 503, code: 'BUSY', retryAfterSeconds: 1 });
      expect(mapped?.message).toMatch(/Retry the request\.$/);
    }
  });

  it('a serialization failure or a deadlock is a 503 BUSY that says what happened', () => {
    expect(toDatabaseAppError(pgError('40001'))?.message).toContain('(a serialization conflict)');
    expect(toDatabaseAppError(pgError('40P01'))?.message).toContain('(a deadlock)');
    expect(toDatabaseAppError(prismaError('P2034', { originalCode: '40P01', kind: 'TransactionWriteConflict' }))?.message).toContain(
      '(a deadlock)',
    );
    expect(toDatabaseAppError(prismaError('P2034'))).toMatchObject({ statusCode: 503, code: 'BUSY' });
    expect(toDatabaseAppError(prismaError('P2034'))?.message).toContain('(a write conflict or a deadlock)');
  });

  it('a record gone under an update or delete (P2025) is a 404', () => {
    const err = toDatabaseAppError(prismaError('P2025', undefined, { modelName: 'Workflow' }));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: 'Not Found' });
  });

  it('leaves every other database error to the 500 path', () => {
    expect(toDatabaseAppError(pgError('42P01'))).toBeUndefined();
    expect(toDatabaseAppError(prismaError('P2039', { originalCode: '57014', kind: 'postgres' }))).toBeUndefined();
    expect(toDatabaseAppError(new Error('boom'))).toBeUndefined();
  });
});
