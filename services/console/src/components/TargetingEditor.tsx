import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import { queryKeys, useFlags, useSegments } from '../api/queries.js';
import type { Flag, FlagState, StateConfig } from '../api/types.js';
import { storeState } from '../api/use-state-change.js';
import { useProductionGuard } from '../confirm/confirm-context.js';
import { environmentVersionText } from '../words/state-words.js';
import { draftOf, newStrategy, removeAt, replaceAt } from '../targeting/draft.js';
import { DependenciesEditor } from './DependenciesEditor.js';
import { ProposeInstead } from '../change-requests/ProposeInstead.js';
import { ErrorNote } from './ErrorNote.js';
import { FormActions } from './FormActions.js';
import { StrategyEditor } from './StrategyEditor.js';
import { VariantsEditor } from './VariantsEditor.js';

/**
 * Edits a state's whole configuration (strategies with constraints and
 * segments, variants, dependencies) and saves it with one PUT, If-Match set to
 * the version the draft started from: the API's 400 details are shown at their
 * fields, and a 412 shows the version someone else saved meanwhile.
 */
export function TargetingEditor({ flagKey, state, onClose }: { flagKey: string; state: FlagState; onClose: () => void }) {
  const api = useApi();
  const client = useQueryClient();
  const segments = useSegments();
  const flags = useFlags();
  const [draft, setDraft] = useState<StateConfig>(() => draftOf(state));
  const [basedOn, setBasedOn] = useState(state.version);
  const guard = useProductionGuard(state.environment);
  const save = useMutation({
    mutationFn: () => api.replaceState(flagKey, state.environment, draft, basedOn),
    onSuccess: (saved) => {
      client.setQueryData<Flag[]>(queryKeys.flags, (list) => storeState(list, flagKey, saved));
      onClose();
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 412;
  const strategies = draft.strategies;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    guard(`saving ${flagKey}'s targeting`, () => save.mutate());
  };
  const loadTheirs = () => {
    setDraft(draftOf(state));
    setBasedOn(state.version);
    save.reset();
  };

  return (
    <form className="targeting" onSubmit={submit} aria-label={`Targeting of ${flagKey} in ${state.environment}`}>
      <h3>Strategies (on when any matches)</h3>
      {strategies.length === 0 && <p className="muted small">No strategy: the flag is off for everyone even when enabled.</p>}
      {strategies.map((strategy, index) => (
        <StrategyEditor
          key={index}
          index={index}
          strategy={strategy}
          flagKey={flagKey}
          segments={segments.data ?? []}
          error={save.error}
          onChange={(next) => setDraft({ ...draft, strategies: replaceAt(strategies, index, next) })}
          onRemove={() => setDraft({ ...draft, strategies: removeAt(strategies, index) })}
        />
      ))}
      <button type="button" onClick={() => setDraft({ ...draft, strategies: [...strategies, newStrategy('flexibleRollout', flagKey)] })}>
        Add a strategy
      </button>
      <VariantsEditor variants={draft.variants ?? []} onChange={(variants) => setDraft({ ...draft, variants })} error={save.error} />
      <DependenciesEditor
        dependencies={draft.dependencies ?? []}
        flagKeys={(flags.data ?? []).map((flag) => flag.key).filter((key) => key !== flagKey)}
        onChange={(dependencies) => setDraft({ ...draft, dependencies })}
        error={save.error}
      />
      {conflict && (
        <div className="conflict" role="alert">
          <strong>Someone else changed this meanwhile; nothing was saved.</strong>
          <p>
            Their version: {environmentVersionText(state.version)} by {state.updatedBy}, {state.enabled ? 'on' : 'off'}, {state.strategies.length} strategies,{' '}
            {state.variants.length} variants, {state.dependencies.length} dependencies.
          </p>
          <button type="button" onClick={loadTheirs}>
            Discard mine and load theirs
          </button>
        </div>
      )}
      {!conflict && <ErrorNote error={save.error} />}
      <ProposeInstead error={save.error} change={{ flag: flagKey, set: draft }} title={`Change ${flagKey}'s targeting in ${state.environment}`} />
      <FormActions submit="Save targeting" pending={save.isPending} onCancel={onClose}>
        <span className="muted small">Based on {environmentVersionText(basedOn)}</span>
      </FormActions>
    </form>
  );
}
