import { z } from 'zod';
import { createPersonalToken, listPersonalTokens, revokePersonalToken } from '../../../shared/domain/people/personal-token-service.js';
import type { Principal } from '../../../shared/domain/people/principal.js';
import { SESSION_COOKIE, csrfTokenOf } from '../../../shared/domain/people/session-service.js';
import type { TokenLookup } from '../../../shared/domain/tokens/token-cache.js';
import { ForbiddenError } from '../../../shared/errors.js';
import { CreatePersonalTokenSchema, MeSchema } from '../../../shared/schemas/people.js';
import { CreatedTokenSchema, TokenIdParamsSchema, TokenSchema } from '../../../shared/schemas/tokens.js';
import type { ApiDeps } from '../deps.js';
import { cookieOf } from '../http/auth.js';
import { addRoute, type RouteTable } from '../http/route.js';

/** Personal tokens belong to people: an admin token (a service account) has none. */
function userIdOf(principal: Principal): string {
  if (principal.kind !== 'user' || principal.userId === undefined) {
    throw new ForbiddenError('personal tokens belong to people: sign in, or use a personal token, not an admin token');
  }
  return principal.userId;
}

/** GET /v1/me and the caller's own personal tokens. */
export function addMeRoutes(table: RouteTable, { pool, tokens }: ApiDeps & { tokens: TokenLookup }): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/me',
    summary: 'Who is asking, with their roles and (with a session) the CSRF token',
    description:
      'The signed-in user (session cookie or personal token) or the admin token asking, with their roles per project. ' +
      'With a session cookie, `csrfToken` is what every POST, PUT, PATCH and DELETE must send as `X-FlagShip-CSRF`.',
    tags: ['users'],
    auth: 'admin',
    role: 'signed-in',
    responses: { 200: { description: 'Who is asking', schema: MeSchema } },
    handle: async ({ principal, token, req }) => {
      const cookieValue = token === undefined ? cookieOf(req, SESSION_COOKIE) : undefined;
      return {
        body: {
          id: principal.userId ?? principal.actor.id,
          email: principal.actor.email ?? null,
          name: principal.actor.name,
          kind: principal.kind,
          roles: principal.roles,
          csrfToken: cookieValue === undefined ? null : csrfTokenOf(cookieValue),
        },
        headers: { 'Cache-Control': 'no-store' },
      };
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/me/tokens',
    summary: 'List your personal tokens (never their secrets)',
    description: 'Your personal tokens, live and revoked.',
    tags: ['users'],
    auth: 'admin',
    role: 'person',
    responses: { 200: { description: 'Your personal tokens', schema: z.object({ tokens: z.array(TokenSchema) }) } },
    handle: async ({ principal }) => ({ body: { tokens: await listPersonalTokens(pool, userIdOf(principal)) } }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/me/tokens',
    summary: 'Create a personal token; its secret is in this response only',
    description:
      'A token (kind `personal`) that acts as you, with your roles at each request, wherever admin tokens are taken: for scripts and the CLI. ' +
      'It stops working when it expires (`expiresAt`), when you revoke it, or when you are removed.',
    tags: ['users'],
    auth: 'admin',
    role: 'person',
    body: CreatePersonalTokenSchema,
    example: { name: 'my laptop', expiresAt: '2027-01-31T00:00:00Z' },
    responses: { 201: { description: 'Created; keep the secret, it is stored only as a hash', schema: CreatedTokenSchema } },
    handle: async ({ principal, body }) => ({
      status: 201,
      body: await createPersonalToken(pool, userIdOf(principal), body),
      headers: { 'Cache-Control': 'no-store' },
    }),
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/me/tokens/{id}',
    summary: 'Revoke one of your personal tokens; it stops working at once',
    description: 'Revokes the token in every API process at once.',
    tags: ['users'],
    auth: 'admin',
    role: 'person',
    params: TokenIdParamsSchema,
    responses: {
      200: { description: 'The revoked token', schema: TokenSchema },
      404: { description: 'You have no such token' },
      409: { description: 'Already revoked' },
    },
    handle: async ({ principal, params }) => {
      const revoked = await revokePersonalToken(pool, userIdOf(principal), params.id);
      await tokens.revoked(revoked.id);
      return { body: revoked };
    },
  });
}
