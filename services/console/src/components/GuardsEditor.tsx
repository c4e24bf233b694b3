import type { CreateRamp } from '../api/types.js';
import { FieldErrors } from './FieldErrors.js';

/** A guard as typed: strings until sent, so the API names a bad field rather than the page guessing. */
export interface GuardDraft {
  event: string;
  maxRatio: string;
  minExposures: string;
  action: 'pause' | 'rollback';
}

const NEW_GUARD: GuardDraft = { event: 'errors', maxRatio: '1.5', minExposures: '500', action: 'rollback' };

/** The drafts as the ramp's creation body takes them (a field left empty is sent as NaN: the API names it). */
export function guardsOf(drafts: GuardDraft[]): NonNullable<CreateRamp['guards']> {
  const number = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));
  return drafts.map((draft) => ({ event: draft.event, maxRatio: number(draft.maxRatio), minExposures: number(draft.minExposures), action: draft.action }));
}

/** The guards of a ramp being scheduled: which event, the largest tolerated ratio, the exposures needed, what a breach does. */
export function GuardsEditor({ id, guards, onChange, error }: { id: string; guards: GuardDraft[]; onChange: (guards: GuardDraft[]) => void; error: unknown }) {
  const set = (index: number, change: Partial<GuardDraft>) => onChange(guards.map((guard, at) => (at === index ? { ...guard, ...change } : guard)));
  return (
    <fieldset className="guards" aria-label="Guards">
      <legend>Guards</legend>
      <p className="muted small">
        Compare an event's rate among users who got the flag on with those who got it off while the ramp runs; on a breach, pause or roll back.
      </p>
      {guards.map((guard, index) => (
        <div key={index} className="field-row" data-guard={index}>
          <div className="field">
            <label htmlFor={`${id}-${index}-event`}>Event</label>
            <input id={`${id}-${index}-event`} value={guard.event} onChange={(event) => set(index, { event: event.target.value })} />
            <FieldErrors error={error} path={['guards', index, 'event']} id={`${id}-${index}-event-error`} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-${index}-maxRatio`}>Max ratio</label>
            <input id={`${id}-${index}-maxRatio`} type="number" step="0.1" className="narrow" value={guard.maxRatio} onChange={(event) => set(index, { maxRatio: event.target.value })} />
            <FieldErrors error={error} path={['guards', index, 'maxRatio']} id={`${id}-${index}-maxRatio-error`} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-${index}-minExposures`}>Min exposures per arm</label>
            <input id={`${id}-${index}-minExposures`} type="number" className="narrow" value={guard.minExposures} onChange={(event) => set(index, { minExposures: event.target.value })} />
            <FieldErrors error={error} path={['guards', index, 'minExposures']} id={`${id}-${index}-minExposures-error`} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-${index}-action`}>On a breach</label>
            <select id={`${id}-${index}-action`} value={guard.action} onChange={(event) => set(index, { action: event.target.value as GuardDraft['action'] })}>
              <option value="rollback">roll back</option>
              <option value="pause">pause</option>
            </select>
          </div>
          <button type="button" onClick={() => onChange(guards.filter((_, at) => at !== index))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...guards, { ...NEW_GUARD }])}>
        Add a guard
      </button>
    </fieldset>
  );
}
