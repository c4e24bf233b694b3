import type { ChangeEvent } from '../api/types.js';
import { diffStates } from '../diff/state-diff.js';

/** What one change did, field by field: the old value struck through, the new one beside it. */
export function EventDiff({ event }: { event: ChangeEvent }) {
  const lines = diffStates(event.before, event.after);
  if (lines.length === 0) return <p className="muted small">No field changed.</p>;
  return (
    <dl className="diff">
      {lines.map((line) => (
        <div key={line.path} className="diff-line">
          <dt>{line.path}</dt>
          <dd>
            {line.before !== undefined && (
              <del aria-label={`${line.path} before`}>{line.before}</del>
            )}
            {line.before !== undefined && line.after !== undefined && <span aria-hidden="true"> → </span>}
            {line.after !== undefined && <ins aria-label={`${line.path} after`}>{line.after}</ins>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
