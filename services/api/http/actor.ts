import type { Token } from '../../../shared/schemas/tokens.js';

/** How a token appears as the actor of a change in the audit log. */
export function actorOf(token: Token): string {
  return `token:${token.name}`;
}
