import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDependencyFailure } from '../../../shared/dependency-failures.js';
import { AppError, RateLimitedError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import type { Dependency, DependencyErrorCounter } from '../../../shared/metrics/registry.js';

/** body-parser's errors carry `type` and `status`; map the ones a client causes to their 4xx. */
const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'the request body is too large' },
  'entity.parse.failed': { status: 400, code: 'invalid_json', message: 'the request body is not valid JSON' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'unsupported charset' },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'the request was aborted' },
  'request.size.invalid': { status: 400, code: 'invalid_body', message: 'the body does not match its Content-Length' },
  'stream.encoding.set': { status: 400, code: 'invalid_body', message: 'the request body could not be read' },
};

function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Refuses bodies that are not JSON on routes that take one (else they would arrive empty). */
export const requireJsonBody: RequestHandler = (req, res, next) => {
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0'
    || req.headers['transfer-encoding'] !== undefined;
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json')) {
    res.status(415).json(errorBody('unsupported_media_type', 'send the body as application/json'));
    return;
  }
  next();
};

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `no route ${req.method} ${req.path}`));
};

function clientErrorStatus(error: unknown): number | undefined {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const code = status ?? statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

function clientErrorMessage(error: unknown): string {
  if (error instanceof URIError) return `the path is not valid percent-encoding (${error.message})`;
  return error instanceof Error ? `the request could not be read: ${error.message}` : 'bad request';
}

/** Seconds a client is asked to wait after a 503 (a dependency away): the bounded waits make a retry cheap. */
export const RETRY_AFTER_SECONDS = '1';

/** Which dependency an unavailable error came from: ioredis names its errors, node-postgres does not. */
function dependencyOf(error: Error): Dependency {
  return error.name === 'MaxRetriesPerRequestError' || /redis/i.test(error.message) ? 'redis' : 'postgresql';
}

/** The one place where errors become HTTP responses. */
export function errorHandler(logger: Logger, countDependencyError?: DependencyErrorCounter): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof AppError) {
      if (error.status === 503) res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
      if (error instanceof RateLimitedError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      res.status(error.status).json(errorBody(error.code, error.message, error.details));
      return;
    }
    const parserError = BODY_PARSER_ERRORS[(error as { type?: string }).type ?? ''];
    if (parserError) {
      // The parser's own words say where the JSON breaks ("... at position 12").
      const message = parserError.code === 'invalid_json' && error instanceof Error
        ? `${parserError.message}: ${error.message}`
        : parserError.message;
      res.status(parserError.status).json(errorBody(parserError.code, message));
      return;
    }
    // Anything else a client caused (http-errors from the router or body-parser:
    // a path that is not valid percent-encoding, a corrupt gzip body) carries its
    // own 4xx status; it is still the client's fault, never a 500.
    const clientStatus = clientErrorStatus(error);
    if (clientStatus !== undefined) {
      res.status(clientStatus).json(errorBody('bad_request', clientErrorMessage(error)));
      return;
    }
    if (isDependencyFailure(error)) {
      countDependencyError?.(dependencyOf(error), error);
      logger.warn({ err: error, method: req.method, path: req.path }, 'a dependency is unreachable');
      res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
      res.status(503).json(errorBody('unavailable', 'PostgreSQL or Redis is unreachable; retry shortly'));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(500).json(errorBody('internal', 'internal error'));
  };
}
