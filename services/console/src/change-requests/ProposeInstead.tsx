import { ApiError } from '../api/api-error.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { navigate } from '../routing/router.js';
import { useProposeChange } from './change-request-queries.js';

/** The protected environment a refusal names (409 change_request_required), if `error` is one. */
export function refusedFor(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.code !== 'change_request_required') return undefined;
  const details = (error.body as { error?: { details?: { environment?: unknown } } } | undefined)?.error?.details;
  return typeof details?.environment === 'string' ? details.environment : undefined;
}

/**
 * Where a direct change was refused because an environment is protected
 * (segments and archives touch every environment, so any protected one
 * refuses them): the same change, proposed as a change request in one click.
 * `change` is one entry of a change request's `changes`.
 */
export function ProposeInstead({ error, change, title }: { error: unknown; change: unknown; title: string }) {
  const propose = useProposeChange();
  const environment = refusedFor(error);
  if (!environment) return null;
  const submit = () =>
    propose.mutate(
      { environment, title, changes: [change as never] },
      { onSuccess: (request) => navigate({ page: 'change-request', id: request.id }) },
    );
  return (
    <div className="propose-instead" role="group" aria-label="Propose instead">
      <span>{environment} is protected: this change needs a change request.</span>{' '}
      <button type="button" onClick={submit} disabled={propose.isPending}>
        Propose this change
      </button>
      <ErrorNote error={propose.error} />
    </div>
  );
}
