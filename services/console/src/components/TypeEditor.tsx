import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import type { Flag, FlagType } from '../api/types.js';
import { FLAG_TYPE_OPTIONS } from '../filter/filter-flags.js';
import { addFlag } from '../live/apply-change.js';
import { FieldErrors, hasFieldError } from './FieldErrors.js';
import { useCan } from '../session/roles.js';

/** A flag's type (release, experiment, …): what staleness and the Unleash APIs go by. */
export function TypeEditor({ flag }: { flag: Flag }) {
  const api = useApi();
  const client = useQueryClient();
  const canEdit = useCan('editor');
  const [draft, setDraft] = useState<FlagType>(flag.type);
  // A change made elsewhere (another tab, REST) replaces an untouched draft.
  useEffect(() => setDraft(flag.type), [flag.type]);
  const save = useMutation({ mutationFn: () => api.retypeFlag(flag.key, draft), onSuccess: (saved) => addFlag(client, saved) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="type-editor" onSubmit={submit}>
      <label htmlFor="flag-type">Type</label>
      <select
        id="flag-type"
        value={draft}
        onChange={(event) => setDraft(event.target.value as FlagType)}
        disabled={flag.archivedAt !== null || !canEdit}
        aria-invalid={hasFieldError(save.error, ['type'])}
        aria-describedby="flag-type-error"
      >
        {FLAG_TYPE_OPTIONS.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
      {canEdit && (
        <button type="submit" disabled={draft === flag.type || save.isPending}>
          Save type
        </button>
      )}
      {save.isSuccess && draft === flag.type && <span className="saved">Saved</span>}
      <FieldErrors error={save.error} path={['type']} id="flag-type-error" />
    </form>
  );
}
