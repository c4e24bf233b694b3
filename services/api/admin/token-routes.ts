import { z } from 'zod';
import { createToken, listTokens, revokeToken } from '../../../shared/domain/tokens/token-service.js';
import { CreateTokenSchema, CreatedTokenSchema, TokenIdParamsSchema, TokenSchema } from '../../../shared/schemas/tokens.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';

export function addTokenRoutes(table: RouteTable, { pool, tokens }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/tokens',
    summary: 'List tokens (never their secrets)',
    description:
      "Every admin, sdk and frontend token, live and revoked, with its kind and environment. Secrets are never shown again after creation. Personal tokens are not listed: each user sees their own at `GET /v1/me/tokens`.",
    tags: ['tokens'],
    auth: 'admin',
    role: 'admin',
    responses: { 200: { description: 'Every token', schema: z.object({ tokens: z.array(TokenSchema) }) } },
    handle: async () => ({ body: { tokens: await listTokens(pool) } }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/tokens',
    summary: 'Create a token; its secret is in this response only',
    description:
      "Creates an admin token, or an sdk token bound to one environment. The secret is in this response only (`Cache-Control: no-store`); FlagShip keeps its hash.",
    tags: ['tokens'],
    auth: 'admin',
    role: 'admin',
    body: CreateTokenSchema,
    example: { name: 'web app', kind: 'sdk', environment: 'prod' },
    responses: {
      201: { description: 'Created; keep the secret, it is stored only as a hash', schema: CreatedTokenSchema },
      404: { description: 'No such environment' },
    },
    handle: async ({ body }) => {
      // The secret is in this response only: no cache on the way may keep a copy.
      return { status: 201, body: await createToken(pool, body), headers: { 'Cache-Control': 'no-store' } };
    },
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/tokens/{id}',
    summary: 'Revoke a token; it stops working at once',
    description:
      "Revokes the token: every API process refuses it at once, and notifiers close its open sockets. The last live admin token cannot be revoked. A personal token is 404 here: its user revokes it at `DELETE /v1/me/tokens/{id}`, and removing the user revokes all of theirs.",
    tags: ['tokens'],
    auth: 'admin',
    role: 'admin',
    params: TokenIdParamsSchema,
    responses: {
      200: { description: 'The revoked token', schema: TokenSchema },
      404: { description: 'No such token' },
      409: { description: 'Already revoked, or the last live admin token' },
    },
    handle: async ({ params }) => {
      const revoked = await revokeToken(pool, params.id);
      // Committed: now every API process must stop accepting it.
      await tokens?.revoked(revoked.id);
      return { body: revoked };
    },
  });
}
