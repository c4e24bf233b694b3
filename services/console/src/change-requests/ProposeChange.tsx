import { useState, type FormEvent } from 'react';
import type { AdminFlagState, StateChange } from '../api/types.js';
import { FieldErrors } from '../components/FieldErrors.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { navigate } from '../routing/router.js';
import { useProposeChange } from './change-request-queries.js';

/**
 * In a protected environment a person's change is a proposal: this form opens
 * a change request for the flag's switch and rollout (optionally at a time)
 * and goes to its page, where others approve and apply it.
 */
export function ProposeChange({ flagKey, state }: { flagKey: string; state: AdminFlagState }) {
  const propose = useProposeChange();
  const [enabled, setEnabled] = useState(state.enabled);
  const [rollout, setRollout] = useState(typeof state.rollout === 'number' ? String(state.rollout) : '');
  const [title, setTitle] = useState('');
  const [at, setAt] = useState('');
  const id = `${flagKey}-${state.environment}-propose`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const set: StateChange = {};
    if (enabled !== state.enabled) set.enabled = enabled;
    if (rollout.trim() !== '' && Number(rollout) !== state.rollout) set.rollout = Number(rollout);
    propose.mutate(
      {
        environment: state.environment,
        title: title.trim() || `${enabled ? 'Switch on' : 'Switch off'} ${flagKey} in ${state.environment}`,
        changes: [{ flag: flagKey, set }],
        ...(at ? { scheduledAt: new Date(at).toISOString() } : {}),
      },
      { onSuccess: (request) => navigate({ page: 'change-request', id: request.id }) },
    );
  };
  return (
    <form className="propose-change" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="small">
        <strong>{state.environment} is protected:</strong> changes here are proposed, approved by someone else, then applied.
      </p>
      <label>
        <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} /> On in {state.environment}
      </label>
      {typeof state.rollout === 'number' && (
        <label>
          Proposed rollout in {state.environment}
          <input type="number" className="narrow" value={rollout} onChange={(event) => setRollout(event.target.value)} />
        </label>
      )}
      <label>
        Title of the change request
        <input value={title} placeholder={`${enabled ? 'Switch on' : 'Switch off'} ${flagKey} in ${state.environment}`} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <label>
        Apply at (optional)
        <input type="datetime-local" value={at} onChange={(event) => setAt(event.target.value)} />
      </label>
      <button type="submit" disabled={propose.isPending}>
        Propose change
      </button>
      <FieldErrors error={propose.error} path={['changes']} id={`${id}-errors`} />
      <ErrorNote error={propose.error} />
    </form>
  );
}
