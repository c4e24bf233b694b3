import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { queryKeys } from '../api/queries.js';
import { RampForm } from './RampForm.js';
import { RampTimeline } from './RampTimeline.js';

/** The ramps of a flag in one environment: schedule one, and follow each as it climbs. */
export function RampPanel({ flagKey, environment }: { flagKey: string; environment: string }) {
  const [scheduling, setScheduling] = useState(false);
  // Filled by RampForm; the API reads ramps one id at a time.
  const rampIds = useQuery<Array<{ id: string; environment: string }>>({
    queryKey: queryKeys.rampIds(flagKey),
    queryFn: () => [],
    staleTime: Infinity,
  });
  const mine = (rampIds.data ?? []).filter((ramp) => ramp.environment === environment);
  return (
    <div className="ramps">
      {mine.map((ramp) => (
        <RampTimeline key={ramp.id} rampId={ramp.id} />
      ))}
      {scheduling ? (
        <RampForm flagKey={flagKey} environment={environment} onDone={() => setScheduling(false)} />
      ) : (
        <button type="button" onClick={() => setScheduling(true)}>
          Schedule a ramp in {environment}…
        </button>
      )}
    </div>
  );
}
