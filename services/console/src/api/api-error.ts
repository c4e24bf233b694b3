import type { ErrorDetail } from './types.js';

/** A non-2xx answer of the API, with its `{ error: { code, message, details } }` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[],
    /** The whole response body (a 412 carries the current version in it or in a follow-up read). */
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The messages of the details whose path starts with `path` (the body's fields, as the API names them). */
  messagesAt(path: Array<string | number>, exact = false): string[] {
    return this.details
      .filter((detail) => (detail.in === undefined || detail.in === 'body') && startsWith(detail.path ?? [], path))
      .filter((detail) => !exact || (detail.path ?? []).length === path.length)
      .map((detail) => detail.message);
  }
}

function startsWith(path: Array<string | number>, prefix: Array<string | number>): boolean {
  return prefix.every((part, index) => String(path[index]) === String(part));
}
