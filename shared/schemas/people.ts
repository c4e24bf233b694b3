import { z } from 'zod';
import { TimestampSchema, UuidSchema } from './common.js';
import type { Actor, Role, RoleGrant } from '../domain/people/principal.js';

export const RoleSchema = z
  .enum(['viewer', 'editor', 'admin'], { error: 'must be viewer, editor or admin' })
  .meta({ description: 'viewer reads everything but secrets; editor also changes flags, segments and ramps; admin also users, tokens, environments and webhooks' }) satisfies z.ZodType<Role>;

/** A project key, or '*' for every project. */
export const GrantProjectSchema = z
  .string()
  .regex(/^(\*|[a-z0-9][a-z0-9_-]{0,49})$/, { error: "must be '*' (every project) or a project key" });

export const RoleGrantSchema = z
  .strictObject({ role: RoleSchema, project: GrantProjectSchema.default('*') })
  .meta({ id: 'RoleGrant', description: "A role on one project, or on every project ('*')" });

/** At most one grant per project (the higher role is the one that counts, so two would only confuse). */
export const RoleGrantsSchema = z
  .array(RoleGrantSchema)
  .max(100)
  .refine((grants) => new Set(grants.map((grant) => grant.project)).size === grants.length, {
    error: 'give at most one role per project',
  }) satisfies z.ZodType<RoleGrant[], unknown>;

export const ActorSchema = z
  .object({
    type: z.enum(['user', 'token', 'ramp', 'schedule', 'change-request', 'system']),
    id: z.string(),
    name: z.string(),
    email: z.string().optional(),
  })
  .meta({ id: 'Actor', description: 'Who made a change: a user, a token, a ramp, a schedule, a change request or the system' }) satisfies z.ZodType<Actor>;

export const EmailSchema = z
  .string()
  .trim()
  .max(320, { error: 'must be at most 320 characters' })
  .pipe(z.email({ error: 'must be an email address' }));

export const UserNameSchema = z.string().trim().min(1, { error: 'must not be empty' }).max(200);

export const UserSchema = z
  .object({
    id: UuidSchema,
    email: z.string(),
    name: z.string(),
    roles: z.array(RoleGrantSchema),
    /** How the user signs in: a local password, single sign-on, or not yet (an invitation not answered). */
    signIn: z.enum(['password', 'sso', 'invited']),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'User', description: 'A person who signs in (never a password or its hash)' });
export type User = z.infer<typeof UserSchema>;

export const UserIdParamsSchema = z.strictObject({ id: UuidSchema });

export const MeSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    name: z.string(),
    kind: z.enum(['admin-token', 'user']),
    roles: z.array(RoleGrantSchema),
    csrfToken: z.string().nullable().meta({
      description: 'With a session cookie: send it as X-FlagShip-CSRF on every POST, PUT, PATCH and DELETE. Null for bearer tokens, which need none.',
    }),
  })
  .meta({ id: 'Me', description: 'Who is asking: a user (session or personal token) or an admin token, with their roles' });

export const CreatePersonalTokenSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time, like 2027-01-31T00:00:00Z' }).optional(),
  })
  .meta({ id: 'CreatePersonalToken', description: 'A personal token: acts as you, with your roles, until it expires, you revoke it, or you are removed' });
