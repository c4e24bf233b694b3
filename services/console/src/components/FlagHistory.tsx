import { ActorName } from './ActorName.js';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { useProductionGuard } from '../confirm/confirm-context.js';
import { queryKeys, useEvents } from '../api/queries.js';
import { stateIn } from '../api/state-in.js';
import type { Flag, FlagChangeEvent, FlagState } from '../api/types.js';
import { diffStates } from '../diff/state-diff.js';
import { ErrorNote } from './ErrorNote.js';
import { EventDiff } from './EventDiff.js';
import { useCan } from '../session/roles.js';

/** What a restore or promote would write, shown before it is written. */
type Pending = { kind: 'restore'; version: number; to: FlagState } | { kind: 'promote'; from: string; to: FlagState };

/**
 * A flag's history in one environment: each change with its diff, newest
 * first; restore any version, or promote the state from another environment,
 * each after seeing what it would change (docs/history.md).
 */
export function FlagHistory({ flag, environments }: { flag: Flag; environments: string[] }) {
  const api = useApi();
  const client = useQueryClient();
  const [environment, setEnvironment] = useState(environments[0] ?? '');
  const [pending, setPending] = useState<Pending | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [proposed, setProposed] = useState<string | undefined>();
  const events = useEvents({ environment, flag: flag.key });
  const guard = useProductionGuard(environment);
  const canEdit = useCan('editor');
  const current = stateIn(flag, environment);
  const changes = ((events.data ?? []) as FlagChangeEvent[]).filter((event) => 'flag' in event).slice().reverse();

  const apply = async () => {
    if (!pending || !current) return;
    setBusy(true);
    setError(undefined);
    setProposed(undefined);
    try {
      const outcome = pending.kind === 'restore'
        ? await api.restoreState(flag.key, environment, pending.version, current.version)
        : await api.copyState(flag.key, pending.from, environment, current.version);
      // A protected environment: the change waits in a change request for its approvals.
      if ('title' in outcome) setProposed(`${environment} is protected: change request “${outcome.title}” opened; it applies once approved.`);
      setPending(undefined);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.flags }),
        client.invalidateQueries({ queryKey: queryKeys.events({ environment, flag: flag.key }) }),
      ]);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="history-title" className="flag-history">
      <h2 id="history-title">History</h2>
      <label>
        Environment{' '}
        <select value={environment} onChange={(event) => { setEnvironment(event.target.value); setPending(undefined); }}>
          {environments.map((key) => <option key={key} value={key}>{key}</option>)}
        </select>
      </label>{' '}
      {canEdit && <label>
        Promote from{' '}
        <select
          aria-label="Promote from"
          value=""
          onChange={(event) => {
            const source = stateIn(flag, event.target.value);
            if (source) setPending({ kind: 'promote', from: event.target.value, to: source });
          }}
        >
          <option value="">choose an environment…</option>
          {environments.filter((key) => key !== environment).map((key) => <option key={key} value={key}>{key}</option>)}
        </select>
      </label>}
      {pending && current && canEdit && (
        <div className="pending-change" role="region" aria-label="What this would change">
          <h3>{pending.kind === 'restore' ? `Restore version ${pending.version} in ${environment}` : `Promote ${pending.from} to ${environment}`}</h3>
          <PendingDiff before={current} after={pending.to} />
          <button
            type="button"
            disabled={busy}
            onClick={() => guard(pending.kind === 'restore' ? `restoring ${flag.key} to version ${pending.version}` : `promoting ${flag.key} from ${pending.from}`, () => void apply())}
          >
            {pending.kind === 'restore' ? 'Restore' : 'Promote'}
          </button>{' '}
          <button type="button" onClick={() => setPending(undefined)}>Cancel</button>
        </div>
      )}
      {proposed && <p role="status">{proposed}</p>}
      <ErrorNote error={error ?? events.error} />
      {events.isPending ? <p>Loading…</p> : (
        <ol className="history-list" reversed>
          {changes.map((event) => (
            <li key={event.version}>
              <p>
                <strong>version {event.version}</strong> · {event.action} by <ActorName actor={event.actor} /> · {new Date(event.createdAt).toLocaleString()}{' '}
                {canEdit && event.version !== current?.version && !event.after.archived && (
                  <button type="button" onClick={() => setPending({ kind: 'restore', version: event.version, to: event.after })}>
                    Restore this version…
                  </button>
                )}
              </p>
              <EventDiff event={event} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The configuration a restore or promote would set, against the current one (bookkeeping fields left out). */
function PendingDiff({ before, after }: { before: FlagState; after: FlagState }) {
  const configuration = (state: FlagState) => ({ enabled: state.enabled, strategies: state.strategies, variants: state.variants, dependencies: state.dependencies });
  const lines = diffStates(configuration(before), configuration(after));
  if (lines.length === 0) return <p className="muted small">Nothing would change.</p>;
  return (
    <dl className="diff">
      {lines.map((line) => (
        <div key={line.path} className="diff-line">
          <dt>{line.path}</dt>
          <dd>
            {line.before !== undefined && <del>{line.before}</del>}
            {line.before !== undefined && line.after !== undefined && <span aria-hidden="true"> → </span>}
            {line.after !== undefined && <ins>{line.after}</ins>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
