import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import { queryKeys } from '../api/queries.js';
import type { CreateRamp, FlagState } from '../api/types.js';
import { useProductionGuard } from '../confirm/confirm-context.js';
import { isoDurationOf, type DurationUnit } from '../ramps/iso-duration.js';
import { rampDefaults } from '../ramps/ramp-defaults.js';
import { DurationPicker } from './DurationPicker.js';
import { GuardsEditor, guardsOf, type GuardDraft } from './GuardsEditor.js';
import { ErrorNote } from './ErrorNote.js';
import { FormActions } from './FormActions.js';
import { FieldErrors } from './FieldErrors.js';

type Mode = 'generated' | 'explicit';

interface StepDraft {
  rollout: string;
  at: string;
}

/** A number from a field, or NaN so the API names the field (no silent default). */
function numberOf(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}

/** A datetime-local value (local time) as an ISO instant; left as typed when it does not parse, for the API to name. */
function instantOf(value: string): string {
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : time.toISOString();
}

/**
 * Schedules a ramp: from/to/step/every, or explicit steps. It opens with
 * values the API accepts for the state as it is now (ramps/ramp-defaults.ts).
 */
export function RampForm({ flagKey, state, onDone }: { flagKey: string; state: FlagState; onDone: () => void }) {
  const api = useApi();
  const client = useQueryClient();
  const environment = state.environment;
  const [defaults] = useState(() => rampDefaults(state));
  const guard = useProductionGuard(environment);
  const [mode, setMode] = useState<Mode>('generated');
  const [from, setFrom] = useState(String(defaults.from));
  const [to, setTo] = useState(String(defaults.to));
  const [step, setStep] = useState(String(defaults.step));
  const [everyAmount, setEveryAmount] = useState('1');
  const [everyUnit, setEveryUnit] = useState<DurationUnit>('hours');
  const [allowDecrease, setAllowDecrease] = useState(defaults.allowDecrease);
  const [steps, setSteps] = useState<StepDraft[]>([{ rollout: '', at: '' }]);
  const [guards, setGuards] = useState<GuardDraft[]>([]);

  const schedule = useMutation({
    mutationFn: () => {
      const body: CreateRamp =
        mode === 'generated'
          ? { from: numberOf(from), to: numberOf(to), step: numberOf(step), every: isoDurationOf(everyAmount, everyUnit) }
          : { steps: steps.map((draft) => ({ rollout: numberOf(draft.rollout), at: instantOf(draft.at) })) };
      if (allowDecrease) body.allowDecrease = true;
      if (guards.length > 0) body.guards = guardsOf(guards);
      return api.scheduleRamp(flagKey, environment, body);
    },
    onSuccess: (ramp) => {
      client.setQueryData(queryKeys.ramp(ramp.id), ramp);
      client.setQueryData<string[]>(queryKeys.ramps(flagKey, environment), (ids) => [ramp.id, ...(ids ?? []).filter((id) => id !== ramp.id)]);
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    guard(`scheduling a ramp of ${flagKey}`, () => schedule.mutate());
  };
  const id = `ramp-${flagKey}-${environment}`;
  const fieldLevel = schedule.error instanceof ApiError && schedule.error.details.some((detail) => (detail.path ?? []).length > 0);

  const field = (name: string, label: string, value: string, set: (value: string) => void) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input id={`${id}-${name}`} type="number" value={value} onChange={(event) => set(event.target.value)} aria-describedby={`${id}-${name}-error`} className="narrow" />
      <FieldErrors error={schedule.error} path={[name]} id={`${id}-${name}-error`} />
    </div>
  );

  return (
    <form className="ramp-form" onSubmit={submit} aria-label={`Schedule a ramp in ${environment}`}>
      <fieldset>
        <legend>Ramp</legend>
        <label>
          <input type="radio" name={`${id}-mode`} checked={mode === 'generated'} onChange={() => setMode('generated')} /> from, to, step, every
        </label>
        <label>
          <input type="radio" name={`${id}-mode`} checked={mode === 'explicit'} onChange={() => setMode('explicit')} /> explicit steps
        </label>
      </fieldset>
      {mode === 'generated' ? (
        <div className="field-row">
          {field('from', 'From %', from, setFrom)}
          {field('to', 'To %', to, setTo)}
          {field('step', 'Step %', step, setStep)}
          <div className="field">
            <DurationPicker
              id={`${id}-every`}
              label="Every"
              amount={everyAmount}
              unit={everyUnit}
              describedBy={`${id}-every-error`}
              onChange={(amount, unit) => {
                setEveryAmount(amount);
                setEveryUnit(unit);
              }}
            />
            <FieldErrors error={schedule.error} path={['every']} id={`${id}-every-error`} />
          </div>
        </div>
      ) : (
        <ol className="step-list">
          {steps.map((draft, index) => (
            <li key={index} className="field-row">
              <div className="field">
                <label htmlFor={`${id}-step-${index}-rollout`}>Step {index + 1} rollout %</label>
                <input
                  id={`${id}-step-${index}-rollout`}
                  type="number"
                  className="narrow"
                  value={draft.rollout}
                  onChange={(event) => setSteps(steps.map((other, at) => (at === index ? { ...other, rollout: event.target.value } : other)))}
                />
                <FieldErrors error={schedule.error} path={['steps', index, 'rollout']} id={`${id}-step-${index}-rollout-error`} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-step-${index}-at`}>Step {index + 1} at</label>
                <input
                  id={`${id}-step-${index}-at`}
                  type="datetime-local"
                  step={1}
                  value={draft.at}
                  onChange={(event) => setSteps(steps.map((other, at) => (at === index ? { ...other, at: event.target.value } : other)))}
                />
                <FieldErrors error={schedule.error} path={['steps', index, 'at']} id={`${id}-step-${index}-at-error`} />
              </div>
            </li>
          ))}
          <li>
            <button type="button" onClick={() => setSteps([...steps, { rollout: '', at: '' }])}>
              Add a step
            </button>
          </li>
        </ol>
      )}
      <label className="check">
        <input type="checkbox" checked={allowDecrease} onChange={(event) => setAllowDecrease(event.target.checked)} /> Allow decrease: the first step
        may be below the current rollout (the flag rolls back to it at once)
      </label>
      {defaults.allowDecrease && allowDecrease && (
        <p className="muted small" data-testid="ramp-restart-note">
          {flagKey} is on for 100% in {environment}: a ramp starts lower, so its first step rolls it back to {from}% at once.
        </p>
      )}
      <FieldErrors error={schedule.error} path={['allowDecrease']} id={`${id}-allowDecrease-error`} />
      <GuardsEditor id={`${id}-guards`} guards={guards} onChange={setGuards} error={schedule.error} />
      <FormActions submit="Schedule ramp" pending={schedule.isPending} onCancel={onDone} />
      {!fieldLevel && <ErrorNote error={schedule.error} />}
    </form>
  );
}
