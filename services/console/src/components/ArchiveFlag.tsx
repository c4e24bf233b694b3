import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api-context.js';
import { ProposeInstead } from '../change-requests/ProposeInstead.js';
import { useConfirm } from '../confirm/confirm-context.js';
import { addFlag } from '../live/apply-change.js';
import { ErrorNote } from './ErrorNote.js';

/** Archive, once the flag's key is typed in the confirmation: it cannot be undone. */
export function ArchiveFlag({ flagKey }: { flagKey: string }) {
  const api = useApi();
  const client = useQueryClient();
  const confirm = useConfirm();
  const archive = useMutation({ mutationFn: () => api.archiveFlag(flagKey), onSuccess: (flag) => addFlag(client, flag) });
  const ask = async () => {
    const confirmed = await confirm({
      title: `Archive ${flagKey}?`,
      message: `SDKs stop seeing ${flagKey} in every environment and its ramps are cancelled. This cannot be undone.`,
      confirm: `Archive ${flagKey}`,
      typeToConfirm: flagKey,
    });
    if (confirmed) archive.mutate();
  };
  return (
    <div className="archive-flag">
      <button type="button" className="danger" onClick={() => void ask()} disabled={archive.isPending}>
        Archive…
      </button>
      <ErrorNote error={archive.error} />
      <ProposeInstead error={archive.error} change={{ flag: flagKey, archive: true }} title={`Archive ${flagKey}`} />
    </div>
  );
}
