/**
 * How a ramp appears as the actor of its steps in the audit log:
 * `rollout:<plan id>`. The only place that writes or reads that format.
 */
const RAMP_ACTOR_PREFIX = 'rollout:';

export function rampActor(planId: string): string {
  return `${RAMP_ACTOR_PREFIX}${planId}`;
}

/** The plan id of a ramp actor; undefined for any other actor (a token, a user, the system). */
export function rampIdOfActor(actor: string): string | undefined {
  return actor.startsWith(RAMP_ACTOR_PREFIX) ? actor.slice(RAMP_ACTOR_PREFIX.length) : undefined;
}
