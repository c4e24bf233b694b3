import type { ErrorRequestHandler, Request, Response } from 'express';
import { AppError, ValidationError } from '../../../shared/errors.js';
import { isDependencyFailure } from '../../../shared/dependency-failures.js';
import type { Logger } from '../../../shared/logger.js';
import { RETRY_AFTER_SECONDS } from '../http/errors.js';
import type { OfrepFailureCode } from '../../../shared/schemas/ofrep.js';

/*
 * OFREP has its own error bodies, which OpenFeature providers parse: a failed
 * single-flag evaluation is `{ key, errorCode, errorDetails }`, a failed bulk one
 * `{ errorCode, errorDetails }`, anything else `{ errorDetails }`. Everything under
 * /ofrep answers in these shapes instead of FlagShip's `{ error: { ... } }`.
 */

const SINGLE_FLAG_PATH = /^\/ofrep\/v1\/evaluate\/flags\/([^/?#]+)/;
const BULK_PATH = /^\/ofrep\/v1\/evaluate\/flags\/?(?:[?#]|$)/;

/** The flag key of a single-flag request (as the client sent it), if this is one. */
function singleFlagKey(req: Request): string | undefined {
  const raw = SINGLE_FLAG_PATH.exec(req.originalUrl)?.[1];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** body-parser's errors carry `type` and `status`. */
interface BodyParserError {
  type?: string;
  status?: number;
}

/** Which OFREP failure an invalid request is: a bad `context` is INVALID_CONTEXT, any other malformed body PARSE_ERROR. */
function failureCode(error: ValidationError): OfrepFailureCode {
  const details = Array.isArray(error.details) ? (error.details as Array<{ in?: string; path?: string[] }>) : [];
  return details.some((detail) => detail.in === 'body' && detail.path?.[0] === 'context') ? 'INVALID_CONTEXT' : 'PARSE_ERROR';
}

function send(req: Request, res: Response, status: number, errorCode: OfrepFailureCode | 'FLAG_NOT_FOUND', errorDetails: string): void {
  const key = singleFlagKey(req);
  if (key !== undefined && (status === 400 || status === 404 || status === 500)) {
    res.status(status).json({ key, errorCode, errorDetails });
  } else if (BULK_PATH.test(req.originalUrl) && (status === 400 || status === 500)) {
    res.status(status).json({ errorCode, errorDetails });
  } else {
    res.status(status).json({ errorDetails });
  }
}

/** Answers any error on an /ofrep route in OFREP's shapes and status codes. */
export function sendOfrepError(req: Request, res: Response, error: unknown, logger: Logger): void {
  if (error instanceof ValidationError) {
    send(req, res, 400, failureCode(error), error.message);
  } else if (isDependencyFailure(error)) {
    // Before the AppError branch: a DependencyUnavailableError is one, and needs its Retry-After.
    logger.warn({ err: error, method: req.method, path: req.path }, 'OFREP: a dependency is unreachable');
    res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    send(req, res, 503, 'GENERAL', 'PostgreSQL or Redis is unreachable; retry shortly');
  } else if (error instanceof AppError) {
    send(req, res, error.status, error.status === 404 ? 'FLAG_NOT_FOUND' : 'GENERAL', error.message);
  } else if ((error as BodyParserError).type === 'entity.parse.failed') {
    send(req, res, 400, 'PARSE_ERROR', 'the request body is not valid JSON');
  } else if ((error as BodyParserError).type === 'entity.too.large') {
    send(req, res, 413, 'GENERAL', 'the request body is too large');
  } else if (typeof (error as BodyParserError).status === 'number' && (error as BodyParserError).status! < 500) {
    send(req, res, (error as BodyParserError).status!, 'PARSE_ERROR', 'the request body could not be read');
  } else {
    logger.error({ err: error, method: req.method, path: req.path }, 'OFREP request failed');
    send(req, res, 500, 'GENERAL', 'internal error');
  }
}

/** Error middleware for the OFREP routes (registered after them, on the same router). */
export function ofrepErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    sendOfrepError(req, res, error, logger);
  };
}
