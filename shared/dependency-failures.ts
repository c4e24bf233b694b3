import { DependencyUnavailableError } from './errors.js';

/*
 * What a failed wait on PostgreSQL or Redis looks like, so that every caller
 * can tell "the store is not there" (a 503, a fallback to a cache) from a
 * bug (a 500). Both drivers say some of it only in words.
 */

// Socket errors; PostgreSQL's connection-exception class (08xxx, matched by
// prefix below), shutdown codes, too many connections, a statement cancelled
// by statement_timeout (57014), a lock not obtained in time (55P03), a session
// ended for idling in a transaction (25P03), serialization failures and
// deadlocks that outlived withTransaction's retries.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  '57P01', '57P02', '57P03', '53300', '57014', '55P03', '25P03', '40001', '40P01',
]);

const UNAVAILABLE_MESSAGES = [
  // node-postgres and pg-pool
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /not queryable/,
  /^Cannot use a pool after calling end/,
  // ioredis
  /^Command timed out/,
  /^Connection is closed/,
  /^Stream isn't writeable/,
  /max retries per request limit/i,
];

/** True when `error` says a dependency (PostgreSQL, Redis) is away or too slow, not that the request or the code is wrong. */
export function isDependencyFailure(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return error.name === 'MaxRetriesPerRequestError' || UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}

/**
 * True when the connection itself is in doubt (it was reset, or an answer
 * never came), rather than PostgreSQL having refused one statement on a
 * healthy connection: such a connection must be thrown away, not reused.
 */
export function isConnectionInDoubt(error: unknown): boolean {
  if (!isDependencyFailure(error)) return false;
  // An ERROR from the server arrived over a working connection; FATAL ends the session.
  const { severity } = error as { severity?: unknown };
  return severity !== 'ERROR';
}
