import { ApiError } from '../api/api-error.js';
import type { FlagState } from '../api/types.js';
import { environmentVersionText } from '../words/state-words.js';

/** A 412: someone else changed this meanwhile. Shows their version; nothing of yours was written. */
export function ConflictNote({ error, current, onUseTheirs }: { error: unknown; current: FlagState; onUseTheirs: () => void }) {
  if (!(error instanceof ApiError) || error.status !== 412) return null;
  return (
    <div className="conflict" role="alert">
      <strong>Someone else changed this meanwhile; nothing was saved.</strong>
      <p>
        Their version ({environmentVersionText(current.version)}, by {current.updatedBy}): {current.enabled ? 'on' : 'off'}
        {typeof current.rollout === 'number' ? `, rollout ${current.rollout}%` : ''}.
      </p>
      <button type="button" onClick={onUseTheirs}>
        Discard mine and edit theirs
      </button>
    </div>
  );
}
