import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { addFlag } from '../live/apply-change.js';
import { ErrorNote } from './ErrorNote.js';

/** Archive in two steps (ask, then confirm): it cannot be undone. */
export function ArchiveFlag({ flagKey }: { flagKey: string }) {
  const api = useApi();
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const archive = useMutation({ mutationFn: () => api.archiveFlag(flagKey), onSuccess: (flag) => addFlag(client, flag) });
  if (!asking) {
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        Archive…
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label="Confirm archive">
      <span>Archive {flagKey}? SDKs stop seeing it and its ramps are cancelled.</span>
      <button type="button" className="danger" onClick={() => archive.mutate()} disabled={archive.isPending}>
        Archive {flagKey}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Keep it
      </button>
      <ErrorNote error={archive.error} />
    </div>
  );
}
