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
import { FieldErrors, hasFieldError } from './FieldErrors.js';

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
      <label htmlFor="new-flag-key">Key</label>
      <div>
        <input
          id="new-flag-key"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-invalid={hasFieldError(create.error, ['key'])}
          aria-describedby="new-flag-key-error"
          autoComplete="off"
          required
        />
        <FieldErrors error={create.error} path={['key']} id="new-flag-key-error" />
      </div>
      <label htmlFor="new-flag-description">Description</label>
      <div>
        <input id="new-flag-description" value={description} onChange={(event) => setDescription(event.target.value)} />
        <FieldErrors error={create.error} path={['description']} id="new-flag-description-error" />
      </div>
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
      <label htmlFor="new-flag-owner">Owner</label>
      <div>
        <input
          id="new-flag-owner"
          value={owner}
          placeholder="a team or a person's email"
          onChange={(event) => setOwner(event.target.value)}
          aria-invalid={hasFieldError(create.error, ['owner'])}
          aria-describedby="new-flag-owner-error"
          autoComplete="off"
        />
        <FieldErrors error={create.error} path={['owner']} id="new-flag-owner-error" />
      </div>
      <label htmlFor="new-flag-tags">Tags</label>
      <div>
        <input
          id="new-flag-tags"
          value={tags}
          placeholder="checkout, team:payments"
          onChange={(event) => setTags(event.target.value)}
          aria-invalid={hasFieldError(create.error, ['tags'])}
          aria-describedby="new-flag-tags-error"
          autoComplete="off"
        />
        <FieldErrors error={create.error} path={['tags']} id="new-flag-tags-error" />
      </div>
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
