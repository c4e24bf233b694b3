import type { Token } from '../../schemas/tokens.js';
import { actorOfToken, actorOfUser } from './actors.js';
import type { Principal, RoleGrant } from './principal.js';

/** An admin token is a service account: admin on every project. */
export function principalOfAdminToken(token: Pick<Token, 'id' | 'name'>): Principal {
  return { kind: 'admin-token', actor: actorOfToken(token), tokenId: token.id, roles: [{ role: 'admin', project: '*' }] };
}

/** A user asking through a session (no token) or a personal token (`tokenId`). */
export function principalOfUser(
  user: { id: string; name: string; email: string; roles: RoleGrant[] },
  tokenId?: string,
): Principal {
  return {
    kind: 'user',
    actor: actorOfUser(user),
    userId: user.id,
    ...(tokenId === undefined ? {} : { tokenId }),
    roles: user.roles,
  };
}
