import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import type { Flag } from '../api/types.js';
import { addFlag } from '../live/apply-change.js';
import { useCan } from '../session/roles.js';
import { formatTags, parseTags } from '../words/tag-words.js';
import { FieldErrors, hasFieldError } from './FieldErrors.js';

/** A flag's owner and tags: what the list filters by, so a team finds its own flags (and its stale ones). */
export function LabelsEditor({ flag }: { flag: Flag }) {
  const api = useApi();
  const client = useQueryClient();
  const canEdit = useCan('editor');
  const [owner, setOwner] = useState(flag.owner ?? '');
  const [tags, setTags] = useState(formatTags(flag.tags));
  // A change made elsewhere (another tab, REST) replaces an untouched draft.
  useEffect(() => setOwner(flag.owner ?? ''), [flag.owner]);
  const savedTags = formatTags(flag.tags);
  useEffect(() => setTags(savedTags), [savedTags]);
  const save = useMutation({
    mutationFn: () => api.labelFlag(flag.key, { tags: parseTags(tags), owner: owner.trim() === '' ? null : owner }),
    onSuccess: (saved) => addFlag(client, saved),
  });
  const unchanged = owner === (flag.owner ?? '') && formatTags(parseTags(tags)) === savedTags;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const disabled = flag.archivedAt !== null || !canEdit;
  return (
    <form className="labels-editor" onSubmit={submit} aria-label="Owner and tags">
      <div>
        <label htmlFor="flag-owner">Owner</label>
        <input
          id="flag-owner"
          value={owner}
          placeholder="a team or a person's email"
          onChange={(event) => setOwner(event.target.value)}
          disabled={disabled}
          aria-invalid={hasFieldError(save.error, ['owner'])}
          aria-describedby="flag-owner-error"
          autoComplete="off"
        />
        <FieldErrors error={save.error} path={['owner']} id="flag-owner-error" />
      </div>
      <div>
        <label htmlFor="flag-tags">Tags</label>
        <input
          id="flag-tags"
          value={tags}
          placeholder="checkout, team:payments"
          onChange={(event) => setTags(event.target.value)}
          disabled={disabled}
          aria-invalid={hasFieldError(save.error, ['tags'])}
          aria-describedby="flag-tags-hint flag-tags-error"
          autoComplete="off"
        />
        <p className="hint" id="flag-tags-hint">
          Separated by commas; lowercase letters, digits and . _ : / -
        </p>
        <FieldErrors error={save.error} path={['tags']} id="flag-tags-error" />
      </div>
      {canEdit && (
        <div className="labels-actions">
          <button type="submit" disabled={disabled || unchanged || save.isPending}>
            Save owner and tags
          </button>
          {save.isSuccess && unchanged && <span className="saved">Saved</span>}
        </div>
      )}
    </form>
  );
}
