import { When } from './When.js';
import { useEffect, useState, type FormEvent } from 'react';
import type { AdminFlagState, FlagUsage } from '../api/types.js';
import { useStateChange } from '../api/use-state-change.js';
import { ProposeChange } from '../change-requests/ProposeChange.js';
import { useProposeOnly } from '../change-requests/use-propose-only.js';
import { useProductionGuard } from '../confirm/confirm-context.js';
import { environmentVersionText, exposureText } from '../words/state-words.js';
import { ConflictNote } from './ConflictNote.js';
import { EnvironmentUsage } from './EnvironmentUsage.js';
import { FieldErrors, hasFieldError } from './FieldErrors.js';
import { RampPanel } from './RampPanel.js';
import { SdkSnippet } from './SdkSnippet.js';
import { TargetingSummary } from './TargetingSummary.js';
import { StateSwitch } from './StateSwitch.js';
import { TargetingEditor } from './TargetingEditor.js';
import { useCan } from '../session/roles.js';

/** A flag in one environment: on/off, the rollout (a slider and a number), and its ramps. */
export function EnvironmentCard({ flagKey, state, archived, usage }: { flagKey: string; state: AdminFlagState; archived: boolean; usage: FlagUsage | undefined }) {
  const change = useStateChange(flagKey, state.environment);
  const guard = useProductionGuard(state.environment);
  // Protected, and a person: every edit of this card is a proposal (a change request).
  const proposeOnly = useProposeOnly(state.environment);
  const shown = typeof state.rollout === 'number' ? state.rollout : undefined;
  const [draft, setDraft] = useState(String(shown ?? ''));
  // The version the draft was based on: a save names it in If-Match, so a change made meanwhile is a 412.
  const [basedOn, setBasedOn] = useState(state.version);
  const [dirty, setDirty] = useState(false);
  const [editingTargeting, setEditingTargeting] = useState(false);
  const canEdit = useCan('editor');
  useEffect(() => {
    if (!dirty) {
      setDraft(String(shown ?? ''));
      setBasedOn(state.version);
    }
  }, [shown, state.version, dirty]);

  const edit = (value: string) => {
    setDraft(value);
    setDirty(true);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const rollout = draft.trim() === '' ? Number.NaN : Number(draft);
    guard(`setting ${flagKey}'s rollout to ${draft}%`, () => change.mutate({ change: { rollout }, version: basedOn }, { onSuccess: () => setDirty(false) }));
  };
  const id = `${flagKey}-${state.environment}`;
  return (
    <article className={`card environment-card${editingTargeting ? ' editing' : ''}`} aria-labelledby={`${id}-title`} data-environment={state.environment}>
      <header className="environment-head">
        <h2 id={`${id}-title`}>{state.environment}</h2>
        {!proposeOnly && <StateSwitch flagKey={flagKey} state={state} disabled={archived} />}
        <span className="rollout-now">{exposureText(state)}</span>
        <span className="muted small" data-testid="state-version">
          {environmentVersionText(state.version)} · {state.updatedBy} · changed <When time={state.updatedAt} />
        </span>
      </header>
      <EnvironmentUsage environment={state.environment} usage={usage} lastSeenAt={state.lastSeenAt} />
      {proposeOnly && !archived && <ProposeChange flagKey={flagKey} state={state} />}
      {shown !== undefined && canEdit && !proposeOnly && (
        <form className="rollout-editor" onSubmit={submit}>
          <label htmlFor={`${id}-rollout-range`}>
            Rollout in {state.environment}
            {!state.enabled && ' (when switched on)'}
          </label>
          <input
            id={`${id}-rollout-range`}
            type="range"
            min={0}
            max={100}
            value={Number(draft) || 0}
            onChange={(event) => edit(event.target.value)}
            disabled={archived}
          />
          <input
            type="number"
            aria-label={`Rollout percent in ${state.environment}`}
            value={draft}
            onChange={(event) => edit(event.target.value)}
            className="narrow"
            disabled={archived}
            aria-invalid={hasFieldError(change.error, ['rollout'])}
            aria-describedby={`${id}-rollout-error`}
          />
          <button type="submit" disabled={!dirty || change.isPending || archived}>
            Save rollout
          </button>
          <FieldErrors error={change.error} path={['rollout']} id={`${id}-rollout-error`} />
        </form>
      )}
      <ConflictNote
        error={change.error}
        current={state}
        onUseTheirs={() => {
          setDirty(false);
          change.reset();
        }}
      />
      <TargetingSummary state={state} />
      {editingTargeting && canEdit ? (
        <TargetingEditor flagKey={flagKey} state={state} onClose={() => setEditingTargeting(false)} />
      ) : (
        !archived && canEdit && (
          <button type="button" onClick={() => setEditingTargeting(true)}>
            Edit targeting in {state.environment}…
          </button>
        )
      )}
      {!archived && <RampPanel flagKey={flagKey} state={state} />}
      {!archived && <SdkSnippet flagKey={flagKey} environment={state.environment} />}
    </article>
  );
}
