import { ApiError } from '../api/api-error.js';

/** A request's failure in words (the API's own message), or nothing. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError ? `${error.message} (${error.status})` : error instanceof Error ? error.message : String(error);
  return (
    <p className="error-note" role="alert">
      {text}
    </p>
  );
}
