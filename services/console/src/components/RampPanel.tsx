import { useState } from 'react';
import { useRamps } from '../api/queries.js';
import type { FlagState } from '../api/types.js';
import { ErrorNote } from './ErrorNote.js';
import { RampForm } from './RampForm.js';
import { RampTimeline } from './RampTimeline.js';
import { useCan } from '../session/roles.js';

/** The ramps of a flag in one environment, newest first: schedule one, and follow each as it climbs. */
export function RampPanel({ flagKey, state }: { flagKey: string; state: FlagState }) {
  const environment = state.environment;
  const [scheduling, setScheduling] = useState(false);
  const canEdit = useCan('editor');
  const ramps = useRamps(flagKey, environment);
  return (
    <div className="ramps">
      <ErrorNote error={ramps.error} />
      {(ramps.data ?? []).map((id) => (
        <RampTimeline key={id} rampId={id} />
      ))}
      {!canEdit ? null : scheduling ? (
        <RampForm flagKey={flagKey} state={state} onDone={() => setScheduling(false)} />
      ) : (
        <button type="button" onClick={() => setScheduling(true)}>
          Schedule a ramp in {environment}…
        </button>
      )}
    </div>
  );
}
