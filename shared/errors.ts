/** An error with an HTTP meaning; the API maps it to `{ error: { code, message, details? } }` in one place. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'invalid_request', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid token is required: send Authorization: Bearer <secret>') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(message: string, details?: unknown) {
    super(412, 'precondition_failed', message, details);
  }
}

/** The caller sent more than its share: a 429 with Retry-After. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'rate_limited', message);
  }
}

/**
 * PostgreSQL or Redis did not answer (refused, reset, timed out, kept
 * conflicting): the request was fine, retry shortly. Answered as a 503 with
 * Retry-After.
 */
export class DependencyUnavailableError extends AppError {
  constructor(message = 'PostgreSQL or Redis is unreachable; retry shortly', cause?: unknown) {
    super(503, 'unavailable', message);
    this.cause = cause;
  }
}
