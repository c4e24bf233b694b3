import { useMetadataChanges } from '../api/queries.js';
import type { FlagMetadataChange } from '../api/types.js';
import { ActorName } from '../components/ActorName.js';
import { ErrorNote } from '../components/ErrorNote.js';

type Metadata = FlagMetadataChange['after'];

const FIELDS: ReadonlyArray<keyof Metadata> = ['description', 'type', 'tags', 'owner'];

/** A field's value as people read it; an absent one says so rather than showing nothing. */
function shown(field: keyof Metadata, value: Metadata[keyof Metadata]): string {
  if (field === 'owner' && value === null) return '(nobody)';
  if (Array.isArray(value)) return value.length === 0 ? '(no tags)' : value.join(', ');
  if (value === '') return '(empty)';
  return String(value);
}

/** The fields a change touched, in a fixed order. */
function changedFields(change: FlagMetadataChange): Array<keyof Metadata> {
  return FIELDS.filter((field) => JSON.stringify(change.before[field]) !== JSON.stringify(change.after[field]));
}

/**
 * Who changed the flag's description, type, tags or owner, and when, newest
 * first (GET /v1/flags/{key}/metadata-changes). These fields belong to the
 * flag, not to an environment, so they are a section of their own beside the
 * environment's history.
 */
export function MetadataHistory({ flagKey }: { flagKey: string }) {
  const changes = useMetadataChanges(flagKey);
  const newestFirst = (changes.data ?? []).slice().reverse();
  return (
    <section aria-labelledby="metadata-history-title" className="metadata-history">
      <h2 id="metadata-history-title">Description, type, tags and owner</h2>
      <ErrorNote error={changes.error} />
      {changes.isPending ? (
        <p>Loading…</p>
      ) : newestFirst.length === 0 ? (
        <p className="muted">Not changed since the flag was created.</p>
      ) : (
        <ol className="history-list" reversed>
          {newestFirst.map((change) => {
            const fields = changedFields(change);
            return (
              <li key={change.id}>
                <p>
                  <ActorName actor={change.actor} /> changed {fields.join(', ')} ·{' '}
                  <time dateTime={change.createdAt}>{new Date(change.createdAt).toLocaleString()}</time>
                </p>
                <dl className="diff">
                  {fields.map((field) => (
                    <div key={field} className="diff-line">
                      <dt>{field}</dt>
                      <dd>
                        <del aria-label={`${field} before`}>{shown(field, change.before[field])}</del>
                        <span aria-hidden="true"> → </span>
                        <ins aria-label={`${field} after`}>{shown(field, change.after[field])}</ins>
                      </dd>
                    </div>
                  ))}
                </dl>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
