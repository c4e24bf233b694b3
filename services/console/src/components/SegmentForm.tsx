import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import { queryKeys } from '../api/queries.js';
import type { Segment } from '../api/types.js';
import { removeAt, replaceAt, type DraftConstraint } from '../targeting/draft.js';
import { ConstraintEditor } from './ConstraintEditor.js';
import { ProposeInstead } from '../change-requests/ProposeInstead.js';
import { ErrorNote } from './ErrorNote.js';
import { FormActions } from './FormActions.js';
import { FieldErrors } from './FieldErrors.js';
import { TextField } from './TextField.js';

/** Creates a segment, or edits or deletes one (a segment in use cannot be deleted: the API names the flags). */
export function SegmentForm({ segment, project, onDone }: { segment?: Segment; project?: string; onDone: () => void }) {
  const api = useApi();
  const client = useQueryClient();
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [constraints, setConstraints] = useState<DraftConstraint[]>(() => structuredClone(segment?.constraints ?? []));
  const done = () => {
    void client.invalidateQueries({ queryKey: queryKeys.segments });
    onDone();
  };
  const save = useMutation({
    mutationFn: () => {
      const input = { name, description, constraints };
      // A new segment goes in the chosen project (else `default`); one that exists stays where it is.
      return segment ? api.changeSegment(segment.id, input) : api.createSegment({ ...input, ...(project === undefined ? {} : { project }) });
    },
    onSuccess: done,
  });
  const remove = useMutation({ mutationFn: () => api.deleteSegment(segment!.id), onSuccess: done });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const label = segment ? `Segment ${segment.name}` : 'New segment';
  const fieldLevel = save.error instanceof ApiError && save.error.details.length > 0;
  return (
    <form className="card targeting" onSubmit={submit} aria-label={label}>
      <div className="field-row">
        <TextField className="field" id="segment-name" label="Name" value={name} onChange={setName} error={save.error} path={['name']} />
        <div className="field grow">
          <label htmlFor="segment-description">Description</label>
          <input id="segment-description" value={description} onChange={(event) => setDescription(event.target.value)} />
        </div>
      </div>
      <h3>Constraints (all must hold)</h3>
      <FieldErrors error={save.error} path={['constraints']} id="segment-constraints-error" exact />
      {constraints.map((constraint, index) => (
        <ConstraintEditor
          key={index}
          constraint={constraint}
          label={`Constraint ${index + 1}`}
          path={['constraints', index]}
          error={save.error}
          onChange={(next) => setConstraints(replaceAt(constraints, index, next))}
          onRemove={() => setConstraints(removeAt(constraints, index))}
        />
      ))}
      <button type="button" onClick={() => setConstraints([...constraints, { contextName: '', operator: 'IN', values: [] }])}>
        Add a constraint
      </button>
      <FormActions submit={segment ? 'Save segment' : 'Create segment'} pending={save.isPending} onCancel={onDone}>
        {segment && (
          <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
            Delete {segment.name}
          </button>
        )}
      </FormActions>
      {!fieldLevel && <ErrorNote error={save.error} />}
      {segment && <ProposeInstead error={save.error} change={{ segment: segment.id, set: { name, description, constraints } }} title={`Change segment ${segment.name}`} />}
      <ErrorNote error={remove.error} />
    </form>
  );
}
