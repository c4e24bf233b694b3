import { useState } from 'react';
import { useSegments } from '../api/queries.js';
import type { Segment } from '../api/types.js';
import { ErrorNote } from './ErrorNote.js';
import { SegmentForm } from './SegmentForm.js';
import { useChosenProject } from '../projects/project-choice.js';
import { useCan, useCanOn } from '../session/roles.js';

/**
 * Segments: named lists of constraints strategies share. Changes apply to every
 * flag using them at once. Those of the chosen project (all without one); each
 * editable by who is editor of its project, as the API checks; a new one goes
 * in the chosen project.
 */
export function SegmentsPage() {
  const segments = useSegments();
  const project = useChosenProject();
  const [editing, setEditing] = useState<Segment | 'new'>();
  const canCreate = useCan('editor', project ?? 'default');
  const canEditIn = useCanOn('editor');
  const shown = (segments.data ?? []).filter((segment) => project === undefined || segment.project === project);
  return (
    <section aria-labelledby="segments-title">
      <div className="page-head">
        <h1 id="segments-title">Segments</h1>
        {canCreate && (
          <button type="button" className="primary" onClick={() => setEditing('new')} disabled={editing === 'new'}>
            New segment
          </button>
        )}
      </div>
      {canCreate && editing === 'new' && <SegmentForm project={project} onDone={() => setEditing(undefined)} />}
      <ErrorNote error={segments.error} />
      <ul className="events">
        {shown.map((segment) =>
          canEditIn(segment.project) && editing !== 'new' && editing?.id === segment.id ? (
            <li key={segment.id}>
              <SegmentForm segment={segment} onDone={() => setEditing(undefined)} />
            </li>
          ) : (
            <li key={segment.id} className="card" data-segment={segment.name}>
              <header className="page-head">
                <h2>
                  {segment.name} <span className="muted small">#{segment.id} · {segment.project}</span>
                </h2>
                {canEditIn(segment.project) && (
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
