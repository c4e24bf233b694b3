import { ApiError } from '../api/api-error.js';

/** The API's 400 `details` for one field, shown under it (its id goes in the input's aria-describedby). */
export function FieldErrors({ error, path, id, exact }: { error: unknown; path: Array<string | number>; id: string; exact?: boolean }) {
  if (!(error instanceof ApiError)) return null;
  const messages = error.messagesAt(path, exact);
  if (messages.length === 0) return null;
  return (
    <p className="field-error" id={id} role="alert" data-field={path.join('.')}>
      {messages.join('; ')}
    </p>
  );
}

/** True when the API's details name this field. */
export function hasFieldError(error: unknown, path: Array<string | number>): boolean {
  return error instanceof ApiError && error.messagesAt(path).length > 0;
}
