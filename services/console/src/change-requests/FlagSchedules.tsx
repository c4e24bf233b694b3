import { Link } from '../components/Link.js';
import { useFlagSchedules } from './change-request-queries.js';
import { actorWords, changeWords, STATE_WORDS } from './review-words.js';

/** On a flag's page: the changes still to happen to it (scheduled, or waiting in a change request). */
export function FlagSchedules({ flagKey }: { flagKey: string }) {
  const pending = useFlagSchedules(flagKey);
  const requests = pending.data ?? [];
  if (requests.length === 0) return null;
  return (
    <section aria-labelledby="flag-schedules-title" className="card flag-schedules">
      <h2 id="flag-schedules-title">Scheduled and proposed changes</h2>
      <ul>
        {requests.map((request) => (
          <li key={request.id} data-state={request.state}>
            <Link to={{ page: 'change-request', id: request.id }}>{request.title}</Link> <span className="badge">{request.environment}</span>{' '}
            <span className="muted small">
              {STATE_WORDS[request.state]}
              {request.scheduledAt && ` · at ${new Date(request.scheduledAt).toLocaleString()}`} · by {actorWords(request.author)}
            </span>
            <span className="small">
              {' '}
              — {request.changes.filter((change) => (change as { flag?: string }).flag === flagKey).map(changeWords).join('; ')}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
