import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import { useProjects } from '../api/queries.js';
import type { Flag } from '../api/types.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { FieldErrors, hasFieldError } from '../components/FieldErrors.js';
import { useConfirm } from '../confirm/confirm-context.js';
import { addFlag } from '../live/apply-change.js';
import { useCanOn } from '../session/roles.js';

/**
 * Moves the flag to another project the signed-in person may edit (the API
 * needs the editor role on both), after the dialog says what tokens of the
 * old project lose. Nothing when there is no such project. The API's refusal
 * (409: a segment or a dependency ties the flag to its project; 403; 400) is
 * shown here.
 */
export function MoveFlag({ flag }: { flag: Flag }) {
  const api = useApi();
  const client = useQueryClient();
  const confirm = useConfirm();
  const projects = useProjects();
  const canEditIn = useCanOn('editor');
  const [chosen, setChosen] = useState('');
  const move = useMutation({
    mutationFn: (project: string) => api.moveFlag(flag.key, project),
    onSuccess: (moved) => {
      addFlag(client, moved);
      setChosen('');
    },
  });
  const targets = (projects.data ?? []).filter((project) => project.key !== flag.project && canEditIn(project.key));
  if (targets.length === 0) return null;
  // A choice that is no longer offered (the flag moved there meanwhile) is no choice.
  const target = targets.find((project) => project.key === chosen);
  const ask = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    const confirmed = await confirm({
      title: `Move ${flag.key} to ${target.name}?`,
      message:
        `SDK tokens scoped to ${flag.project} stop seeing ${flag.key}: their apps receive it as removed, as if archived, in every environment. ` +
        `Tokens of ${target.key} (and of every project) see it from now on, with its targeting as it is.`,
      confirm: `Move to ${target.name}`,
    });
    if (confirmed) move.mutate(target.key);
  };
  const fieldLevel = hasFieldError(move.error, ['project']);
  return (
    <form className="move-flag toolbar" onSubmit={(event) => void ask(event)} aria-label="Move to another project">
      <div className="field">
        <label htmlFor="move-flag-project">Move to</label>
        <select
          id="move-flag-project"
          value={target?.key ?? ''}
          onChange={(event) => setChosen(event.target.value)}
          aria-invalid={fieldLevel}
          aria-describedby="move-flag-project-error"
        >
          <option value="">Choose a project</option>
          {targets.map((project) => (
            <option key={project.key} value={project.key}>
              {project.name}
            </option>
          ))}
        </select>
        <FieldErrors error={move.error} path={['project']} id="move-flag-project-error" />
      </div>
      <button type="submit" disabled={!target || move.isPending}>
        Move…
      </button>
      {move.isSuccess && <span className="saved">Moved</span>}
      {!fieldLevel && <ErrorNote error={move.error} />}
    </form>
  );
}
