import type { ChangeRequestDetail } from './change-request-api.js';

type DiffEntry = ChangeRequestDetail['diff'][number];

// Bookkeeping fields of a state or segment: never what a request changes.
const IGNORED = new Set(['version', 'updatedAt', 'updatedBy', 'createdAt', 'lastSeenAt', 'environment', 'flag', 'key', 'id', 'project']);

const show = (value: unknown) => (value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** The fields the change moves: as they are now, and as the request would leave them. */
function changedFields(entry: DiffEntry): Array<{ field: string; now: unknown; after: unknown }> {
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  return Object.keys(after)
    .filter((field) => !IGNORED.has(field) && JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, now: before[field], after: after[field] }));
}

/** The request against the current state, per subject; a subject that moved since the request was opened is marked. */
export function RequestDiff({ diff, applied }: { diff: DiffEntry[]; applied: boolean }) {
  return (
    <table className="request-diff" aria-label="Changes">
      <thead>
        <tr>
          <th scope="col">Subject</th>
          <th scope="col">Field</th>
          <th scope="col">{applied ? 'Now' : 'Now'}</th>
          <th scope="col">{applied ? 'Set by the request' : 'After the request'}</th>
        </tr>
      </thead>
      <tbody>
        {diff.flatMap((entry) => {
          const fields = changedFields(entry);
          const rows = fields.length > 0 ? fields : [{ field: applied ? '(applied)' : '(no difference now)', now: undefined, after: undefined }];
          return rows.map((row, index) => (
            <tr key={`${entry.subject}-${row.field}`} data-subject={entry.subject} className={entry.conflicted ? 'conflicted' : undefined}>
              {index === 0 && (
                <th scope="row" rowSpan={rows.length}>
                  {entry.subject.replace(/^flag:/, '')}
                  {entry.conflicted && <span className="badge warning"> changed since proposed</span>}
                </th>
              )}
              <td>{row.field}</td>
              <td>{show(row.now)}</td>
              <td>{show(row.after)}</td>
            </tr>
          ));
        })}
      </tbody>
    </table>
  );
}
