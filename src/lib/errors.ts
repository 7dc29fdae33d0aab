import type { ErrorCode } from './error-codes.ts';

/**
 * Every error a client can see is an AppError: the HTTP status travels with it, the body is
 * `{ message, code, details?, requestId }` (n8n-compatible: n8n clients read `message`). `code` is one of the
 * registry's (error-codes.ts).
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'VALIDATION_ERROR', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor() {
    super(401, 'UNAUTHORIZED', 'Unauthorized');
  }
}

export class ForbiddenError extends AppError {
  /** n8n answers "Forbidden"; a message that says more keeps that word first. */
  constructor(details?: unknown, message = 'Forbidden') {
    super(403, 'FORBIDDEN', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not Found') {
    super(404, 'NOT_FOUND', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'CONFLICT', message, details);
  }
}

export class RateLimitedError extends AppError {
  constructor(message: string) {
    super(429, 'RATE_LIMITED', message);
  }
}

/** The database could not finish the request now (a lock held too long, a deadlock): the same request may succeed later. */
export class BusyError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(503, 'BUSY', message);
  }
}
