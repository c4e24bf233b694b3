import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../components/ErrorNote.js';
import { Link } from '../components/Link.js';
import { useChangeRequest, useComment } from './change-request-queries.js';
import { RequestDiff } from './RequestDiff.js';
import { ReviewButtons } from './ReviewButtons.js';
import { actorWords, STATE_WORDS } from './review-words.js';

/** One change request: where it stands, its diff against the current state, the review buttons, its comments. */
export function ChangeRequestPage({ id }: { id: string }) {
  const request = useChangeRequest(id);
  const comment = useComment(id);
  const [draft, setDraft] = useState('');
  if (request.isPending) return <p>Loading…</p>;
  const data = request.data;
  if (!data) {
    return (
      <section>
        <ErrorNote error={request.error} />
        <Link to={{ page: 'change-requests' }}>Back to change requests</Link>
      </section>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    comment.mutate(draft, { onSuccess: () => setDraft('') });
  };
  return (
    <section aria-labelledby="change-request-title" className="change-request-page">
      <p className="crumbs">
        <Link to={{ page: 'change-requests' }}>Change requests</Link> /
      </p>
      <h1 id="change-request-title">{data.title}</h1>
      <p>
        <span className="badge">{data.environment}</span>{' '}
        <strong data-testid="change-request-state" data-state={data.state}>
          {STATE_WORDS[data.state]}
        </strong>{' '}
        <span className="muted small">
          proposed by {actorWords(data.author)} on {new Date(data.createdAt).toLocaleString()}
          {data.scheduledAt && ` · to apply at ${new Date(data.scheduledAt).toLocaleString()}`}
        </span>
      </p>
      {data.description && <p>{data.description}</p>}
      <p className="small" data-testid="change-request-approvals">
        {data.approvals.length} of {data.requiredApprovals} approvals
        {data.approvals.length > 0 && `: ${data.approvals.map((approval) => actorWords(approval.approver)).join(', ')}`}
      </p>
      {data.state === 'applied' && (
        <p className="small" data-testid="change-request-applied">
          Applied as version {data.appliedVersion} by {actorWords(data.appliedBy)} on {data.appliedAt && new Date(data.appliedAt).toLocaleString()}
        </p>
      )}
      {data.closeReason && <p className="small">Reason: {data.closeReason}</p>}
      <ReviewButtons request={data} />
      <RequestDiff diff={data.diff} applied={data.state === 'applied'} />
      <section aria-labelledby="comments-title">
        <h2 id="comments-title">Comments</h2>
        <ul className="comments">
          {data.comments.map((entry) => (
            <li key={entry.id}>
              <strong>{actorWords(entry.author)}</strong> <span className="muted small">{new Date(entry.createdAt).toLocaleString()}</span>
              <p>{entry.body}</p>
            </li>
          ))}
        </ul>
        <form onSubmit={submit}>
          <label htmlFor="comment-body">Comment</label>
          <textarea id="comment-body" value={draft} onChange={(event) => setDraft(event.target.value)} rows={3} />
          <button type="submit" disabled={draft.trim() === '' || comment.isPending}>
            Add comment
          </button>
          <ErrorNote error={comment.error} />
        </form>
      </section>
    </section>
  );
}
