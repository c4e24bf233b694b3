import { isDependencyFailure } from './dependency-failures.js';
import { AppError, DependencyUnavailableError, ValidationError } from './errors.js';
import type { Logger } from './logger.js';
import type { Dependency, DependencyErrorCounter } from './metrics/registry.js';

/*
 * The one place that decides what an error means. Every protocol (REST,
 * OFREP, Unleash, Socket.IO refusals, the health routes) asks this module and
 * only formats the answer in its own shapes, so a dependency failure is
 * counted and logged the same way whichever door it came through.
 */

/**
 * - `invalid`: a request that failed validation (ValidationError; details name the fields);
 * - `rejected`: any other refusal the code decided on (auth, not found, conflict…);
 * - `malformed`: the request could not be read (body-parser and router errors);
 * - `unavailable`: PostgreSQL or Redis is away; retry shortly;
 * - `internal`: a bug.
 */
export type ErrorKind = 'invalid' | 'rejected' | 'malformed' | 'unavailable' | 'internal';

export interface ErrorClassification {
  kind: ErrorKind;
  /** The HTTP status (other protocols map it or ignore it). */
  status: number;
  /** FlagShip's error code (`invalid_request`, `not_found`, `unavailable`…). */
  code: string;
  message: string;
  details?: unknown;
  /** For `unavailable`: the dependency that failed, when the error says. */
  dependency?: Dependency;
}

/** Seconds a client is asked to wait after a 503 (a dependency away): the bounded waits make a retry cheap. */
export const RETRY_AFTER_SECONDS = '1';

export const UNAVAILABLE_MESSAGE = 'PostgreSQL or Redis is unreachable; retry shortly';

/** body-parser's errors carry `type` and `status`; the ones a client causes, with their 4xx. */
const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'the request body is too large' },
  'entity.parse.failed': { status: 400, code: 'invalid_json', message: 'the request body is not valid JSON' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'unsupported charset' },
  'request.aborted': { status: 400, code: 'invalid_body', message: 'the request was aborted' },
  'request.size.invalid': { status: 400, code: 'invalid_body', message: 'the body does not match its Content-Length' },
  'stream.encoding.set': { status: 400, code: 'invalid_body', message: 'the request body could not be read' },
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

/** Which dependency an unavailable error came from: ioredis names its errors, node-postgres does not. */
function dependencyOf(error: unknown): Dependency {
  const cause = error instanceof DependencyUnavailableError && error.cause !== undefined ? error.cause : error;
  if (!(cause instanceof Error)) return 'postgresql';
  return cause.name === 'MaxRetriesPerRequestError' || /redis/i.test(cause.message) ? 'redis' : 'postgresql';
}

/** What `error` means, in words every protocol can format. Pure: it neither logs nor counts (see reportError). */
export function classifyError(error: unknown): ErrorClassification {
  // Before the AppError branch: a DependencyUnavailableError is one, and is counted as a dependency failure.
  if (isDependencyFailure(error)) {
    const message = error instanceof DependencyUnavailableError ? error.message : UNAVAILABLE_MESSAGE;
    return { kind: 'unavailable', status: 503, code: 'unavailable', message, dependency: dependencyOf(error) };
  }
  if (error instanceof AppError) {
    const kind = error instanceof ValidationError ? 'invalid' : 'rejected';
    return { kind, status: error.status, code: error.code, message: error.message, details: error.details };
  }
  const parserError = BODY_PARSER_ERRORS[(error as { type?: string } | undefined)?.type ?? ''];
  if (parserError) {
    // The parser's own words say where the JSON breaks ("... at position 12").
    const details = parserError.code === 'invalid_json' && error instanceof Error
      ? [{ in: 'body', path: [], message: error.message }]
      : undefined;
    return { kind: 'malformed', ...parserError, ...(details && { details }) };
  }
  // Anything else a client caused (http-errors from the router or body-parser:
  // a path that is not valid percent-encoding, a corrupt gzip body) carries its
  // own 4xx status; it is still the client's fault, never a 500.
  const clientStatus = clientErrorStatus(error);
  if (clientStatus !== undefined) {
    return { kind: 'malformed', status: clientStatus, code: 'bad_request', message: clientErrorMessage(error) };
  }
  return { kind: 'internal', status: 500, code: 'internal', message: 'internal error' };
}

/** Classifies an error and does what its kind asks of the process (count, log) before a protocol answers. */
export type ErrorReporter = (error: unknown, context: Record<string, unknown>) => ErrorClassification;

/**
 * The reporter every protocol formatter calls: a dependency failure is
 * counted in `flagship_dependency_errors_total` and logged at warn, a bug
 * logged at error; a client's mistake is neither.
 */
export function errorReporter(logger: Logger, countDependencyError: DependencyErrorCounter | undefined): ErrorReporter {
  return (error, context) => {
    const classification = classifyError(error);
    if (classification.kind === 'unavailable') {
      const cause = error instanceof DependencyUnavailableError && error.cause !== undefined ? error.cause : error;
      countDependencyError?.(classification.dependency ?? 'postgresql', cause);
      logger.warn({ err: error, ...context }, 'a dependency is unreachable');
    } else if (classification.kind === 'internal') {
      logger.error({ err: error, ...context }, 'request failed');
    }
    return classification;
  };
}
