import { useFlagUsage } from '../api/queries.js';
import { stateIn } from '../api/state-in.js';
import type { Environment, Flag } from '../api/types.js';
import { FlagSchedules } from '../change-requests/FlagSchedules.js';
import { EnvironmentCard } from '../components/EnvironmentCard.js';

/**
 * Every environment of the flag side by side (columns on wide screens, one
 * above the other at phone width), each with its switch, rollout, targeting,
 * ramps and snippet; above them, what is scheduled or proposed for the flag.
 */
export function TargetingTab({ flag, environments }: { flag: Flag; environments: Environment[] }) {
  const usage = useFlagUsage(flag.key);
  const archived = flag.archivedAt !== null;
  return (
    <>
      {!archived && <FlagSchedules flagKey={flag.key} />}
      <div className="environment-cards">
        {environments.map((environment) => {
          const state = stateIn(flag, environment.key);
          return state ? <EnvironmentCard key={environment.key} flagKey={flag.key} state={state} archived={archived} usage={usage.data} /> : null;
        })}
      </div>
    </>
  );
}
