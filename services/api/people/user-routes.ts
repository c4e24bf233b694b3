import { z } from 'zod';
import { changeUser, createUser, getUser, listUsers, removeUser } from '../../../shared/domain/people/user-service.js';
import { UserIdParamsSchema, UserSchema } from '../../../shared/schemas/people.js';
import { CreateUserSchema, UpdateUserSchema } from '../../../shared/schemas/users.js';
import type { TokenLookup } from '../../../shared/domain/tokens/token-cache.js';
import type { Request } from 'express';
import { createPasswordLink, passwordLinkUrl } from '../../../shared/domain/people/password-links.js';
import { TimestampSchema } from '../../../shared/schemas/common.js';
import type { ApiDeps } from '../deps.js';
import { advertisedOrigin } from '../http/advertised-origin.js';
import { addRoute, type RouteTable } from '../http/route.js';

/** GET/POST/PATCH/DELETE /v1/users: people and their roles (admin). */
const PasswordLinkSchema = z
  .object({
    url: z.string().meta({ description: 'Send it to the person: it opens the console to set a password. It works once.' }),
    expiresAt: TimestampSchema,
  })
  .meta({ id: 'PasswordLink', description: 'A one-time link to set a password (its secret is in this answer only)' });

const CreatedUserSchema = UserSchema.extend({
  invite: PasswordLinkSchema.optional().meta({ description: 'Without a password: the invitation (valid 7 days)' }),
}).meta({ id: 'CreatedUser', description: 'The new user, and their invitation when no password was given' });

export function addUserRoutes(table: RouteTable, deps: ApiDeps & { tokens: TokenLookup }): void {
  const { pool, tokens } = deps;
  const origin = advertisedOrigin(deps);
  const clock = deps.clock ?? (() => new Date());
  const linkOf = (req: Request, link: { secret: string; expiresAt: Date }) => ({
    url: passwordLinkUrl(origin(req), link.secret),
    expiresAt: link.expiresAt.toISOString(),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/users',
    summary: 'List users',
    description: 'Every user with their roles per project and how they sign in (password, sso, or invited: not yet). Never a password or its hash.',
    tags: ['users'],
    auth: 'admin',
    role: 'admin',
    responses: { 200: { description: 'Every user', schema: z.object({ users: z.array(UserSchema) }) } },
    handle: async () => ({ body: { users: await listUsers(pool) } }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/users/{id}',
    summary: 'Read one user',
    description: 'The user with their roles.',
    tags: ['users'],
    auth: 'admin',
    role: 'admin',
    params: UserIdParamsSchema,
    responses: { 200: { description: 'The user', schema: UserSchema }, 404: { description: 'No such user' } },
    handle: async ({ params }) => ({ body: await getUser(pool, params.id) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/users',
    summary: 'Add a user',
    description:
      "Adds a person with their roles. With `password` (12 to 256 characters, not the email) they can sign in at once with POST /auth/login; " +
      'without one the answer carries `invite`, a link to set a password (valid 7 days, once), or they sign in with single sign-on. ' +
      'The email is unique whatever its case (409).',
    tags: ['users'],
    auth: 'admin',
    role: 'admin',
    body: CreateUserSchema,
    example: { email: 'ana@example.com', name: 'Ana', roles: [{ role: 'editor', project: '*' }] },
    responses: {
      201: { description: 'Created', schema: CreatedUserSchema },
      409: { description: 'A user with this email exists' },
    },
    handle: async ({ body, req }) => {
      const { user, invite } = await createUser(pool, body, clock());
      // An invitation's secret is in this answer only.
      return { status: 201, body: { ...user, ...(invite && { invite: linkOf(req, invite) }) }, headers: { 'Cache-Control': 'no-store' } };
    },
  });

  addRoute(table, {
    method: 'patch',
    path: '/v1/users/{id}',
    summary: "Change a user's email, name or roles",
    description: "Roles replace the user's previous ones and count from their next request, on every channel (session, personal tokens).",
    tags: ['users'],
    auth: 'admin',
    role: 'admin',
    params: UserIdParamsSchema,
    body: UpdateUserSchema,
    example: { roles: [{ role: 'viewer', project: '*' }] },
    responses: {
      200: { description: 'The changed user', schema: UserSchema },
      404: { description: 'No such user' },
      409: { description: 'Another user has this email' },
    },
    handle: async ({ params, body }) => ({ body: await changeUser(pool, params.id, body) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/users/{id}/password-reset',
    summary: 'Make a one-time link for a local account to set a new password',
    description:
      'A link (valid one hour, once) that lets the user set a new password; answering it ends their sessions. An earlier unused link of ' +
      'theirs stops working. FlagShip sends no email: give the link to the person. 409 for a single sign-on user.',
    tags: ['users'],
    auth: 'admin',
    role: 'admin',
    params: UserIdParamsSchema,
    responses: {
      201: { description: 'The link', schema: PasswordLinkSchema },
      404: { description: 'No such user' },
      409: { description: 'The user signs in with single sign-on' },
    },
    handle: async ({ params, req }) => ({
      status: 201,
      body: linkOf(req, await createPasswordLink(pool, params.id, 'reset', clock())),
      headers: { 'Cache-Control': 'no-store' },
    }),
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/users/{id}',
    summary: 'Remove a user; their sessions and personal tokens stop working at once',
    description:
      'Removes the user with their sessions and personal tokens: every API process refuses them within a second, and their open ' +
      'change streams end. Their changes stay in the audit log under their name.',
    tags: ['users'],
    auth: 'admin',
    role: 'admin',
    params: UserIdParamsSchema,
    responses: { 200: { description: 'The removed user', schema: UserSchema }, 404: { description: 'No such user' } },
    handle: async ({ params }) => {
      const { user, endedCredentialIds } = await removeUser(pool, params.id);
      // Committed: every process must stop accepting them now.
      await Promise.all(endedCredentialIds.map((id) => tokens.revoked(id)));
      return { body: user };
    },
  });
}
