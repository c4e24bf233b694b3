/** SQLSTATE codes FlagShip reacts to. */
export const UNIQUE_VIOLATION = '23505';
export const DUPLICATE_DATABASE = '42P04';

export function hasPostgresCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
