import { useState } from 'react';
import { useSegments } from '../api/queries.js';
import type { Segment } from '../api/types.js';
import { ErrorNote } from './ErrorNote.js';
import { SegmentForm } from './SegmentForm.js';
import { useCan } from '../session/roles.js';

/** Segments: named lists of constraints strategies share. Changes apply to every flag using them at once. */
export function SegmentsPage() {
  const segments = useSegments();
  const [editing, setEditing] = useState<Segment | 'new'>();
  const canEdit = useCan('editor');
  return (
    <section aria-labelledby="segments-title">
      <div className="page-head">
        <h1 id="segments-title">Segments</h1>
        {canEdit && (
          <button type="button" className="primary" onClick={() => setEditing('new')} disabled={editing === 'new'}>
            New segment
          </button>
        )}
      </div>
      {canEdit && editing === 'new' && <SegmentForm onDone={() => setEditing(undefined)} />}
      <ErrorNote error={segments.error} />
      <ul className="events">
        {(segments.data ?? []).map((segment) =>
          canEdit && editing !== 'new' && editing?.id === segment.id ? (
            <li key={segment.id}>
              <SegmentForm segment={segment} onDone={() => setEditing(undefined)} />
            </li>
          ) : (
            <li key={segment.id} className="card" data-segment={segment.name}>
              <header className="page-head">
                <h2>
                  {segment.name} <span className="muted small">#{segment.id}</span>
                </h2>
                {canEdit && (
                  <button type="button" onClick={() => setEditing(segment)}>
                    Edit {segment.name}
                  </button>
                )}
              </header>
              {segment.description && <p>{segment.description}</p>}
              <p className="small">
                {segment.constraints.map((constraint, index) => (
                  <span key={index} className="badge">
                    {constraint.contextName} {constraint.inverted ? 'not ' : ''}
                    {constraint.operator} {constraint.values?.join(', ') ?? constraint.value}
                  </span>
                ))}
              </p>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
