import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { toDatabaseAppError } from '../lib/database-errors.ts';
import type { ErrorCode } from '../lib/error-codes.ts';
import { AppError, BusyError } from '../lib/errors.ts';
import type { ErrorBody } from '../lib/schemas.ts';
import { formatValidationError } from './validation-message.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Fastify's own client errors, by code: status, our code, and a message that says how to fix the request. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: ErrorCode; message: (err: FastifyError) => string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'VALIDATION_ERROR',
    message: () => 'Request body is not valid JSON. Send a well-formed JSON document (check quotes, commas and brackets).',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'VALIDATION_ERROR',
    message: () => 'Request body is empty but Content-Type is application/json. Send a JSON body or drop the Content-Type header.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: (err) => `${err.message}. Send the body as JSON with Content-Type: application/json.`,
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: () => 'Request body is larger than the server accepts (N8N_PAYLOAD_SIZE_MAX).',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'VALIDATION_ERROR',
    message: () => 'Content-Length does not match the size of the request body.',
  },
};

interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

function appErrorResponse(err: AppError): ErrorResponse {
  return {
    status: err.statusCode,
    body: { message: err.message, code: err.code, ...(err.details === undefined ? {} : { details: err.details }) },
    ...(err instanceof BusyError ? { headers: { 'retry-after': String(err.retryAfterSeconds) } } : {}),
  };
}

function toErrorResponse(err: FastifyError, request: FastifyRequest): ErrorResponse {
  if (hasZodFastifySchemaValidationErrors(err)) {
    return {
      status: 400,
      body: {
        message: formatValidationError(err.validationContext, err.validation, request.body),
        code: 'VALIDATION_ERROR',
        details: err.validation.map(({ instancePath, keyword, message }) => ({ path: instancePath, keyword, message })),
      },
    };
  }
  if (err instanceof AppError) return appErrorResponse(err);
  // Database errors a client can act on (taken, busy, gone); the cause stays in the log.
  const fromDatabase = toDatabaseAppError(err);
  if (fromDatabase) {
    request.log.warn({ err, code: fromDatabase.code }, 'database error answered as %d', fromDatabase.statusCode);
    return appErrorResponse(fromDatabase);
  }
  const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined;
  if (known) return { status: known.status, body: { message: known.message(err), code: known.code } };
  // A SyntaxError from the JSON body parser carries statusCode 400 but no code.
  if (err instanceof SyntaxError && err.statusCode === 400) {
    return {
      status: 400,
      body: { message: `Request body is not valid JSON (${err.message}). Send a well-formed JSON document.`, code: 'VALIDATION_ERROR' },
    };
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, body: { message: err.message, code: 'BAD_REQUEST' } };
  }
  request.log.error({ err }, 'unhandled error');
  return { status: 500, body: { message: 'Internal server error', code: 'INTERNAL' } };
}

/** The single place where errors become responses: `{ message, code, details?, requestId }`. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { status, body, headers } = toErrorResponse(err, request);
      if (status < 500) request.log.debug({ code: body.code, status }, body.message);
      if (headers) reply.headers(headers);
      return reply.status(status).send({ ...body, requestId: request.id });
    });

    // n8n answers a known path with a method it does not serve with 405 and an Allow header, and an unknown
    // route with `{"message":"not found"}`; the same texts, with our codes.
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      const allowed = METHODS.filter((method) => app.findRoute({ method, url: path }));
      if (allowed.length) {
        return reply
          .status(405)
          .header('allow', allowed.join(', '))
          .send({ message: `${request.method} method not allowed`, code: 'METHOD_NOT_ALLOWED', requestId: request.id } satisfies ErrorBody);
      }
      return reply.status(404).send({ message: 'not found', code: 'NOT_FOUND', requestId: request.id } satisfies ErrorBody);
    });
  },
  { name: 'error-handler' },
);
