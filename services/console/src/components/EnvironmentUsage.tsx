import { When } from './When.js';
import { USAGE_HOURS } from '../api/queries.js';
import type { FlagUsage } from '../api/types.js';

/**
 * When the flag was last evaluated in one environment and how often in the
 * last hours (SDK reports and the API's own evaluations).
 */
export function EnvironmentUsage({ environment, usage, lastSeenAt }: { environment: string; usage: FlagUsage | undefined; lastSeenAt: string | null }) {
  // The usage read is newer than the flags list (last-seen changes send no change event); either may be missing.
  const seen = usage?.lastSeenAt[environment] ?? lastSeenAt;
  const hours = (usage?.hours ?? []).filter((hour) => hour.environment === environment);
  const on = hours.reduce((sum, hour) => sum + hour.yes, 0);
  const off = hours.reduce((sum, hour) => sum + hour.no, 0);
  return (
    <p className="usage small" data-testid="usage" aria-label={`Usage in ${environment}`}>
      {seen ? (
        <>
          Last seen <When time={seen} />
        </>
      ) : (
        'Never evaluated here'
      )}
      {usage && (
        <span className="muted">
          {' '}
          · last {USAGE_HOURS} h: {on.toLocaleString()} on, {off.toLocaleString()} off
        </span>
      )}
    </p>
  );
}
