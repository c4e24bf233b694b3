import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { Environment, FlagType } from '../api/types.js';
import { FLAG_TYPE_OPTIONS } from '../filter/filter-flags.js';
import { addFlag } from '../live/apply-change.js';
import { navigate } from '../routing/router.js';
import { parseTags } from '../words/tag-words.js';
import { ErrorNote } from './ErrorNote.js';
import { FormActions } from './FormActions.js';
import { FieldErrors } from './FieldErrors.js';
import { TextField } from './TextField.js';

/** Creates a flag (off everywhere unless switched on here) in the chosen project (else `default`) and opens it. */
export function CreateFlagForm({ environments, project, onDone }: { environments: Environment[]; project?: string; onDone: () => void }) {
  const api = useApi();
  const client = useQueryClient();
  const [key, setKey] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState<FlagType>('release');
  const [enabledIn, setEnabledIn] = useState<string[]>([]);
  const [owner, setOwner] = useState('');
  const [tags, setTags] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.createFlag({
        key,
        description,
        type,
        ...(project === undefined ? {} : { project }),
        ...(owner.trim() === '' ? {} : { owner }),
        tags: parseTags(tags),
        environments: Object.fromEntries(enabledIn.map((environment) => [environment, { enabled: true }])),
      }),
    onSuccess: (flag) => {
      addFlag(client, flag);
      onDone();
      navigate({ page: 'flag', key: flag.key });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const fieldLevel = create.error instanceof ApiError && create.error.details.length > 0;

  return (
    <form className="card form-grid" onSubmit={submit} aria-label="New flag">
      <span>Project</span>
      <div data-testid="new-flag-project">
        {project ?? 'default'}
        <FieldErrors error={create.error} path={['project']} id="new-flag-project-error" />
      </div>
      <TextField layout="grid" id="new-flag-key" label="Key" value={key} onChange={setKey} error={create.error} path={['key']} autoComplete="off" required />
      <TextField layout="grid" id="new-flag-description" label="Description" value={description} onChange={setDescription} error={create.error} path={['description']} />
      <label htmlFor="new-flag-type">Type</label>
      <div>
        <select id="new-flag-type" value={type} onChange={(event) => setType(event.target.value as FlagType)}>
          {FLAG_TYPE_OPTIONS.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <FieldErrors error={create.error} path={['type']} id="new-flag-type-error" />
      </div>
      <TextField
        layout="grid"
        id="new-flag-owner"
        label="Owner"
        value={owner}
        placeholder="a team or a person's email"
        onChange={setOwner}
        error={create.error}
        path={['owner']}
        autoComplete="off"
      />
      <TextField
        layout="grid"
        id="new-flag-tags"
        label="Tags"
        value={tags}
        placeholder="checkout, team:payments"
        onChange={setTags}
        error={create.error}
        path={['tags']}
        autoComplete="off"
      />
      <span>On in</span>
      <div className="checks">
        {environments.map((environment) => (
          <label key={environment.key}>
            <input
              type="checkbox"
              checked={enabledIn.includes(environment.key)}
              onChange={(event) =>
                setEnabledIn((current) => (event.target.checked ? [...current, environment.key] : current.filter((key) => key !== environment.key)))
              }
            />{' '}
            {environment.key}
          </label>
        ))}
      </div>
      <FormActions submit="Create flag" pending={create.isPending} onCancel={onDone} />
      {!fieldLevel && <ErrorNote error={create.error} />}
    </form>
  );
}
