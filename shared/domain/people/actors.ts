import type { Token } from '../../schemas/tokens.js';
import type { Actor } from './principal.js';

/** The actor of changes nobody in particular made (migrations, SQL run by hand). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system', name: 'system' };

/** How an admin token appears as the actor of a change: its id and name. */
export function actorOfToken(token: Pick<Token, 'id' | 'name'>): Actor {
  return { type: 'token', id: token.id, name: token.name };
}

/** How a user appears as the actor of a change. */
export function actorOfUser(user: { id: string; name: string; email: string }): Actor {
  return { type: 'user', id: user.id, name: user.name, email: user.email };
}

/**
 * The actor as one string, as `updatedBy` and ramps' createdBy/stoppedBy show
 * it: `token:<name>`, `rollout:<plan id>`, `user:<email>`, `<type>:<name>`,
 * `system`. The same rule as flagship_actor_label in SQL (migration
 * 000014_a; test/people/actors.test.ts holds the two equal).
 */
export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case 'system':
      return 'system';
    case 'ramp':
      return `rollout:${actor.id}`;
    case 'user':
      return `user:${actor.email ?? actor.name}`;
    default:
      return `${actor.type}:${actor.name}`;
  }
}
