import { When } from './When.js';
import { useMemo, useState } from 'react';
import { useEnvironments, useEvents } from '../api/queries.js';
import { isSegmentEvent } from '../api/types.js';
import { environmentVersionText } from '../words/state-words.js';
import { ActorName } from './ActorName.js';
import { ErrorNote } from './ErrorNote.js';
import { EventDiff } from './EventDiff.js';
import { Link } from './Link.js';

const PAGE = 100;

/** Who changed what, newest first, filtered by environment and flag, each change as a before/after diff. */
export function AuditPage() {
  const environments = useEnvironments();
  const [environment, setEnvironment] = useState('');
  const [flagDraft, setFlagDraft] = useState('');
  const [flag, setFlag] = useState('');
  const [shown, setShown] = useState(PAGE);
  const events = useEvents({ environment: environment || undefined, flag: flag || undefined });
  // Pages come in version order per environment, not across them: sort by time (then id) for a single newest-first list.
  const newestFirst = useMemo(
    () => (events.data ?? []).slice().sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1)),
    [events.data],
  );

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setFlag(flagDraft.trim());
        }}
      >
        <label>
          Environment{' '}
          <select value={environment} onChange={(event) => setEnvironment(event.target.value)}>
            <option value="">all</option>
            {(environments.data ?? []).map((candidate) => (
              <option key={candidate.key} value={candidate.key}>
                {candidate.key}
              </option>
            ))}
          </select>
        </label>
        <label>
          Flag <input type="search" value={flagDraft} onChange={(event) => setFlagDraft(event.target.value)} placeholder="flag key" />
        </label>
        <button type="submit">Filter</button>
        <span className="count">{events.isSuccess ? `${events.data.length} changes` : 'Loading…'}</span>
      </form>
      <ErrorNote error={events.error} />
      <ol className="events" data-testid="audit-events">
        {newestFirst.slice(0, shown).map((event) => (
          <li
            key={event.id}
            className="card event"
            data-event={event.id}
            data-flag={isSegmentEvent(event) ? undefined : event.flag}
            data-environment={event.environment}
          >
            <header>
              {isSegmentEvent(event) ? (
                <span>segment {event.after.name}</span>
              ) : (
                <Link to={{ page: 'flag', key: event.flag }}>{event.flag}</Link>
              )}{' '}
              <span className="badge">{event.environment}</span>{' '}
              <span className={`action action-${event.action}`}>{event.action}</span> by <ActorName actor={event.actor} />
              <span className="muted small">
                {' '}
                {environmentVersionText(event.version)} · <When time={event.createdAt} />
              </span>
            </header>
            <EventDiff event={event} />
          </li>
        ))}
      </ol>
      {newestFirst.length > shown && (
        <button type="button" onClick={() => setShown(shown + PAGE)}>
          Show older changes
        </button>
      )}
    </section>
  );
}
