import { z } from 'zod';
import { EnvironmentKeySchema, TimestampSchema, UuidSchema } from './common.js';
import { TokenProjectsSchema } from './projects.js';

/**
 * admin: the REST API. sdk: server-side SDKs, which receive definitions. frontend:
 * code on users' devices (browsers, apps), which receives evaluated answers only
 * (Unleash's frontend API, OFREP), never a definition (constraint values are often
 * e-mail addresses and customer ids). personal: a user's own token, acting as that
 * user with the user's roles (POST /v1/me/tokens; gone with the user).
 */
export const TokenKindSchema = z.enum(['admin', 'sdk', 'frontend', 'personal'], { error: 'must be admin, sdk, frontend or personal' });
export type TokenKind = z.infer<typeof TokenKindSchema>;

export const TokenSchema = z
  .object({
    id: UuidSchema,
    name: z.string(),
    kind: TokenKindSchema,
    environment: EnvironmentKeySchema.nullable(),
    projects: z.array(z.string()).meta({ description: 'The projects an sdk or frontend token sees, or ["*"] for every project (admin tokens: always ["*"])' }),
    /** The user a personal token acts as; null for every other kind. */
    userId: UuidSchema.nullable(),
    createdAt: TimestampSchema,
    /** When it stops working by itself (personal tokens may have one); null: never. */
    expiresAt: TimestampSchema.nullable(),
    revokedAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'Token', description: 'An API token (never its secret): admin, sdk or frontend bound to one environment, or personal (acting as its user)' });
export type Token = z.infer<typeof TokenSchema>;

export const CreateTokenSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ name: z.string().min(1).max(100), kind: z.literal('admin') }),
      z.strictObject({ name: z.string().min(1).max(100), kind: z.literal('sdk'), environment: EnvironmentKeySchema, projects: TokenProjectsSchema.optional() }),
      z.strictObject({ name: z.string().min(1).max(100), kind: z.literal('frontend'), environment: EnvironmentKeySchema, projects: TokenProjectsSchema.optional() }),
    ],
    { error: 'kind must be admin, sdk or frontend (sdk and frontend tokens also need an environment)' },
  )
  .meta({ id: 'CreateToken', description: 'A new token: admin, or sdk with the environment it is bound to' });
export type CreateToken = z.infer<typeof CreateTokenSchema>;

export const CreatedTokenSchema = z
  .object({
    token: TokenSchema,
    secret: z.string().meta({ description: 'Shown once; only its hash is stored.' }),
    unleashSecret: z.string().optional().meta({
      description: "sdk and frontend tokens: the same secret in Unleash's format, `project:environment.secret` (`*:` for every project, `[]:` for several), which the Unleash routes accept",
    }),
  })
  .meta({ id: 'CreatedToken', description: 'A created token and its secret, shown this once' });

export const TokenIdParamsSchema = z.strictObject({ id: UuidSchema });
