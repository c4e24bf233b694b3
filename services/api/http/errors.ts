import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';

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

// Socket errors, PostgreSQL's connection-exception class (08xxx), shutdown and
// too-many-connections codes: the request was fine, a dependency was not there.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300']);

function isDependencyUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // node-postgres and ioredis say it only in words (or in the error's name).
  return error.name === 'MaxRetriesPerRequestError'
    || /^Connection terminated|timeout exceeded when trying to connect/.test(error.message);
}

/** The one place where errors become HTTP responses. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof AppError) {
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
    if (isDependencyUnavailable(error)) {
      logger.warn({ err: error, method: req.method, path: req.path }, 'a dependency is unreachable');
      res.setHeader('Retry-After', '1');
      res.status(503).json(errorBody('unavailable', 'PostgreSQL or Redis is unreachable; retry shortly'));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(500).json(errorBody('internal', 'internal error'));
  };
}
