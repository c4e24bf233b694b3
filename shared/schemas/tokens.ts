import { z } from 'zod';
import { EnvironmentKeySchema, TimestampSchema, UuidSchema } from './common.js';

/**
 * admin: the REST API. sdk: server-side SDKs, which receive definitions. frontend:
 * code on users' devices (browsers, apps), which receives evaluated answers only
 * (Unleash's frontend API, OFREP), never a definition (constraint values are often
 * e-mail addresses and customer ids).
 */
export const TokenKindSchema = z.enum(['admin', 'sdk', 'frontend'], { error: 'must be admin, sdk or frontend' });
export type TokenKind = z.infer<typeof TokenKindSchema>;

export const TokenSchema = z
  .object({
    id: UuidSchema,
    name: z.string(),
    kind: TokenKindSchema,
    environment: EnvironmentKeySchema.nullable(),
    createdAt: TimestampSchema,
    revokedAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'Token', description: 'An API token (never its secret): admin, or sdk bound to one environment' });
export type Token = z.infer<typeof TokenSchema>;

export const CreateTokenSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ name: z.string().min(1).max(100), kind: z.literal('admin') }),
      z.strictObject({ name: z.string().min(1).max(100), kind: z.literal('sdk'), environment: EnvironmentKeySchema }),
      z.strictObject({ name: z.string().min(1).max(100), kind: z.literal('frontend'), environment: EnvironmentKeySchema }),
    ],
    { error: 'kind must be admin, sdk or frontend (sdk and frontend tokens also need an environment)' },
  )
  .meta({ id: 'CreateToken', description: 'A new token: admin, or sdk with the environment it is bound to' });
export type CreateToken = z.infer<typeof CreateTokenSchema>;

export const CreatedTokenSchema = z
  .object({ token: TokenSchema, secret: z.string().meta({ description: 'Shown once; only its hash is stored.' }) })
  .meta({ id: 'CreatedToken', description: 'A created token and its secret, shown this once' });

export const TokenIdParamsSchema = z.strictObject({ id: UuidSchema });
