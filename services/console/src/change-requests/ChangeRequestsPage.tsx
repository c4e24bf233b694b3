import { useContext } from 'react';
import { Link } from '../components/Link.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { MeContext } from '../session/roles.js';
import type { ChangeRequest } from './change-request-api.js';
import { useChangeRequests } from './change-request-queries.js';
import { ReviewButtons } from './ReviewButtons.js';
import { actorWords, changeWords, isMe, STATE_WORDS, waitsForMe } from './review-words.js';

function RequestItem({ request }: { request: ChangeRequest }) {
  return (
    <li className="change-request-item" data-state={request.state}>
      <Link to={{ page: 'change-request', id: request.id }}>{request.title}</Link>{' '}
      <span className="badge">{request.environment}</span> <span className="muted small">{STATE_WORDS[request.state]}</span>
      <span className="muted small">
        {' '}
        · by {actorWords(request.author)} · {request.approvals.length} of {request.requiredApprovals} approvals
        {request.scheduledAt && ` · at ${new Date(request.scheduledAt).toLocaleString()}`}
      </span>
      <ul className="small">
        {request.changes.slice(0, 5).map((change, index) => (
          <li key={index}>{changeWords(change)}</li>
        ))}
        {request.changes.length > 5 && <li>… and {request.changes.length - 5} more</li>}
      </ul>
      <ReviewButtons request={request} />
    </li>
  );
}

function Section({ title, requests, empty }: { title: string; requests: ChangeRequest[]; empty: string }) {
  const id = `cr-${title.toLowerCase().replaceAll(' ', '-')}`;
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>
        {title} <span className="muted small">({requests.length})</span>
      </h2>
      {requests.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="change-request-list">
          {requests.map((request) => (
            <RequestItem key={request.id} request={request} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The review inbox: what waits for me, what is approved and ready to apply, my own requests, and the rest. */
export function ChangeRequestsPage() {
  const me = useContext(MeContext);
  const requests = useChangeRequests();
  if (requests.isPending) return <p>Loading…</p>;
  const all = requests.data ?? [];
  const forMe = me ? all.filter((request) => waitsForMe(me, request)) : [];
  const ready = all.filter((request) => request.state === 'approved' || request.state === 'scheduled');
  const mine = me ? all.filter((request) => isMe(me, request.author) && !ready.includes(request)) : [];
  const shown = new Set([...forMe, ...ready, ...mine]);
  return (
    <section aria-labelledby="change-requests-title" className="change-requests-page">
      <h1 id="change-requests-title">Change requests</h1>
      <ErrorNote error={requests.error} />
      <Section title="Waiting for my review" requests={forMe} empty="Nothing waits for your review." />
      <Section title="Ready to apply" requests={ready} empty="No approved request waits to be applied." />
      <Section title="My requests" requests={mine} empty="You have proposed nothing." />
      <Section title="Other requests" requests={all.filter((request) => !shown.has(request))} empty="None." />
    </section>
  );
}
