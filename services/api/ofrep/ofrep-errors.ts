import type { ErrorRequestHandler, Request, Response } from 'express';
import { RETRY_AFTER_SECONDS, type ErrorClassification, type ErrorReporter } from '../../../shared/error-classifier.js';
import type { OfrepFailureCode } from '../../../shared/schemas/ofrep.js';

/*
 * OFREP has its own error bodies, which OpenFeature providers parse: a failed
 * single-flag evaluation is `{ key, errorCode, errorDetails }`, a failed bulk one
 * `{ errorCode, errorDetails }`, anything else `{ errorDetails }`. Everything under
 * /ofrep answers in these shapes instead of FlagShip's `{ error: { ... } }`;
 * what an error means is decided in shared/error-classifier.ts, as for every protocol.
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

/** Which OFREP failure code a classified error is. */
function failureCode({ kind, status, details }: ErrorClassification): OfrepFailureCode | 'FLAG_NOT_FOUND' {
  if (kind === 'invalid') {
    // A bad `context` is INVALID_CONTEXT, any other malformed body PARSE_ERROR.
    const fields = Array.isArray(details) ? (details as Array<{ in?: string; path?: string[] }>) : [];
    return fields.some((detail) => detail.in === 'body' && detail.path?.[0] === 'context') ? 'INVALID_CONTEXT' : 'PARSE_ERROR';
  }
  if (kind === 'malformed') return status === 413 ? 'GENERAL' : 'PARSE_ERROR';
  if (kind === 'rejected' && status === 404) return 'FLAG_NOT_FOUND';
  return 'GENERAL';
}

/** OFREP's body for an error: the shapes its providers parse, the classification's message as errorDetails. */
function ofrepErrorBody(req: Request, classification: ErrorClassification): object {
  const { status, message: errorDetails } = classification;
  const errorCode = failureCode(classification);
  const key = singleFlagKey(req);
  if (key !== undefined && (status === 400 || status === 404 || status === 500)) return { key, errorCode, errorDetails };
  if (BULK_PATH.test(req.originalUrl) && (status === 400 || status === 500)) return { errorCode, errorDetails };
  return { errorDetails };
}

/** Answers any error on an /ofrep route in OFREP's shapes and status codes. */
export function sendOfrepError(req: Request, res: Response, error: unknown, report: ErrorReporter): void {
  const classification = report(error, { method: req.method, path: req.path, protocol: 'ofrep' });
  if (classification.status === 503) res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
  res.status(classification.status).json(ofrepErrorBody(req, classification));
}

/** Error middleware for the OFREP routes (registered after them, on the same router). */
export function ofrepErrorHandler(report: ErrorReporter): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    sendOfrepError(req, res, error, report);
  };
}
