/** SQLSTATE codes FlagShip reacts to. */
export const UNIQUE_VIOLATION = '23505';
export const DUPLICATE_DATABASE = '42P04';
/** PostgreSQL aborted the transaction to break a deadlock, or because it could not be serialized: running it again may succeed. */
export const DEADLOCK_DETECTED = '40P01';
export const SERIALIZATION_FAILURE = '40001';

export function hasPostgresCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
/**
 * PostgreSQL refused the statement for the data it carries (SQLSTATE class 22,
 * data exception, or 23, integrity constraint violation): sending the same
 * data again fails the same way, unlike a lost connection or a timeout.
 */
export function isDataError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
