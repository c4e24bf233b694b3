import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import type { Flag } from '../api/types.js';
import { addFlag } from '../live/apply-change.js';
import { FieldErrors, hasFieldError } from './FieldErrors.js';
import { useCan } from '../session/roles.js';

export function DescriptionEditor({ flag }: { flag: Flag }) {
  const api = useApi();
  const client = useQueryClient();
  const canEdit = useCan('editor');
  const [draft, setDraft] = useState(flag.description);
  useEffect(() => setDraft(flag.description), [flag.description]);
  const save = useMutation({ mutationFn: () => api.describeFlag(flag.key, draft), onSuccess: (saved) => addFlag(client, saved) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="description-editor" onSubmit={submit}>
      <label htmlFor="flag-description">Description</label>
      <textarea
        id="flag-description"
        rows={2}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        disabled={flag.archivedAt !== null || !canEdit}
        aria-invalid={hasFieldError(save.error, ['description'])}
        aria-describedby="flag-description-error"
      />
      <FieldErrors error={save.error} path={['description']} id="flag-description-error" />
      {canEdit && (
        <button type="submit" disabled={draft === flag.description || save.isPending}>
          Save description
        </button>
      )}
      {save.isSuccess && draft === flag.description && <span className="saved">Saved</span>}
    </form>
  );
}
