import type { ErrorRequestHandler, RequestHandler } from 'express';
import { RETRY_AFTER_SECONDS, type ErrorClassification, type ErrorReporter } from '../../../shared/error-classifier.js';
import { RateLimitedError } from '../../../shared/errors.js';


/** FlagShip's error body, `{ error: { code, message, details? } }` (REST and Unleash routes). */
export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** A classified error in FlagShip's REST shape. */
export function restErrorBody({ code, message, details }: ErrorClassification) {
  return errorBody(code, message, details);
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

/** Error middleware of the REST routes: shared/error-classifier.ts decides, this only formats. */
export function errorHandler(report: ErrorReporter): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const classification = report(error, { method: req.method, path: req.path });
    if (classification.status === 503) res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    if (error instanceof RateLimitedError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.status(classification.status).json(restErrorBody(classification));
  };
}
