import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import type { Flag } from '../api/types.js';
import { addFlag } from '../live/apply-change.js';
import { useCan } from '../session/roles.js';
import { formatTags, parseTags } from '../words/tag-words.js';
import { TextField } from './TextField.js';

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
      <TextField
        id="flag-owner"
        label="Owner"
        value={owner}
        placeholder="a team or a person's email"
        onChange={setOwner}
        disabled={disabled}
        error={save.error}
        path={['owner']}
        autoComplete="off"
      />
      <TextField
        id="flag-tags"
        label="Tags"
        value={tags}
        placeholder="checkout, team:payments"
        onChange={setTags}
        disabled={disabled}
        error={save.error}
        path={['tags']}
        hint="Separated by commas; lowercase letters, digits and . _ : / -"
        autoComplete="off"
      />
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
