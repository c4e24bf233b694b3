import { useContext } from 'react';
import { MeContext } from '../session/roles.js';
import { ErrorNote } from '../components/ErrorNote.js';
import type { ChangeRequest, ReviewAction } from './change-request-api.js';
import { useReviewAction } from './change-request-queries.js';
import { isMe } from './review-words.js';

/**
 * Approve, reject, apply and cancel, as far as the request's state allows.
 * Approve is not offered to the author (the API refuses it: self_approval).
 */
export function ReviewButtons({ request }: { request: ChangeRequest }) {
  const me = useContext(MeContext);
  const review = useReviewAction(request.id);
  const mine = me !== undefined && isMe(me, request.author);
  const act = (action: ReviewAction) => review.mutate({ action });
  const label = (action: string) => `${action} “${request.title}”`;
  const pending = request.state === 'open' || request.state === 'approved' || request.state === 'scheduled';
  if (!pending && request.state !== 'conflicted') return null;
  return (
    <div className="review-buttons">
      {request.state === 'open' && !mine && (
        <button type="button" aria-label={label('Approve')} disabled={review.isPending} onClick={() => act('approve')}>
          Approve
        </button>
      )}
      {(request.state === 'approved' || request.state === 'scheduled') && (
        <button type="button" aria-label={label(request.state === 'scheduled' ? 'Apply now' : 'Apply')} disabled={review.isPending} onClick={() => act('apply')}>
          {request.state === 'scheduled' ? 'Apply now' : 'Apply'}
        </button>
      )}
      {pending && (
        <button type="button" aria-label={label('Reject')} disabled={review.isPending} onClick={() => act('reject')}>
          Reject
        </button>
      )}
      {(mine || request.state === 'conflicted') && (
        <button type="button" aria-label={label('Cancel request')} disabled={review.isPending} onClick={() => act('cancel')}>
          Cancel request
        </button>
      )}
      <ErrorNote error={review.error} />
    </div>
  );
}
