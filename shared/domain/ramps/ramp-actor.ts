import type { Actor } from '../people/principal.js';

/** How a ramp appears as the actor of its steps in the audit log: `{ type: 'ramp', id: <plan id> }`. */
export function rampActor(planId: string): Actor {
  return { type: 'ramp', id: planId, name: `ramp ${planId}` };
}

/** The plan id of a ramp actor; undefined for any other actor (a token, a user, the system). */
export function rampIdOfActor(actor: Actor): string | undefined {
  return actor.type === 'ramp' ? actor.id : undefined;
}
