import { createHash, randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.js';
import type { CreateToken, Token, TokenKind } from '../schemas/tokens.js';
import type { Queryable } from './pool.js';

const TOKEN_COLUMNS = `
  id, name, kind, environment_key as environment, created_at as "createdAt", revoked_at as "revokedAt"`;

/** Secrets are 256 random bits, so SHA-256 (not a slow password hash) is the right digest. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newSecret(kind: TokenKind): string {
  return `fs_${kind}_${randomBytes(32).toString('base64url')}`;
}

export async function listTokens(db: Queryable): Promise<Token[]> {
  const { rows } = await db.query<Token>(`select ${TOKEN_COLUMNS} from api_token order by created_at, id`);
  return rows;
}

/** Stores a new token's hash and returns the secret, which exists nowhere else afterwards. */
export async function createToken(db: Queryable, input: CreateToken): Promise<{ token: Token; secret: string }> {
  const secret = newSecret(input.kind);
  const token = await insertToken(db, input, secret);
  return { token, secret };
}

async function insertToken(db: Queryable, input: CreateToken, secret: string): Promise<Token> {
  const { rows } = await db.query<Token>(
    `insert into api_token (name, kind, environment_key, secret_hash)
     values ($1, $2, $3, $4)
     returning ${TOKEN_COLUMNS}`,
    [input.name, input.kind, input.kind === 'admin' ? null : input.environment, hashSecret(secret)],
  );
  return rows[0]!;
}

/** The live (not revoked) token whose secret this is, if any. */
export async function findActiveToken(db: Queryable, secret: string): Promise<Token | undefined> {
  const { rows } = await db.query<Token>(
    `select ${TOKEN_COLUMNS} from api_token where secret_hash = $1 and revoked_at is null`,
    [hashSecret(secret)],
  );
  return rows[0];
}

/** Which of these token ids are no longer live: revoked, or gone altogether (the revocation watch's poll). */
export async function listRevokedTokenIds(db: Queryable, ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select watched.id::text as id
       from unnest($1::uuid[]) as watched (id)
      where not exists (select 1 from api_token t where t.id = watched.id and t.revoked_at is null)`,
    [ids],
  );
  return rows.map((row) => row.id);
}

/** The stored hash and environment of a live sdk or frontend token, by id (for credentials derived from the hash). */
export async function findActiveSdkTokenHash(
  db: Queryable,
  id: string,
): Promise<{ secretHash: string; environment: string } | undefined> {
  const { rows } = await db.query<{ secretHash: string; environment: string }>(
    `select secret_hash as "secretHash", environment_key as environment
       from api_token
      where id = $1 and kind in ('sdk', 'frontend') and revoked_at is null`,
    [id],
  );
  return rows[0];
}

/** Revokes a token (run inside withTransaction). The last live admin token cannot go: nobody could administer FlagShip after it. */
export async function revokeToken(db: Queryable, id: string): Promise<Token> {
  // Serialises revocations so two at once cannot both think another admin remains.
  await db.query(`select pg_advisory_xact_lock(hashtext('flagship.revoke_token'))`);
  const { rows } = await db.query<Token & { liveAdmins: number }>(
    `select ${TOKEN_COLUMNS},
            (select count(*)::int from api_token where kind = 'admin' and revoked_at is null) as "liveAdmins"
       from api_token where id = $1 for update`,
    [id],
  );
  const token = rows[0];
  if (!token) throw new NotFoundError(`token '${id}' does not exist`);
  if (token.revokedAt) throw new ConflictError(`token '${id}' is already revoked`);
  if (token.kind === 'admin' && token.liveAdmins <= 1) {
    throw new ConflictError('this is the last live admin token; create another admin token before revoking it');
  }
  const revoked = await db.query<Token>(
    `update api_token set revoked_at = now() where id = $1 returning ${TOKEN_COLUMNS}`,
    [id],
  );
  return revoked.rows[0]!;
}

/**
 * Makes sure an admin can get in: registers FLAGSHIP_ADMIN_TOKEN's hash when
 * given, or else creates an admin token when there is none and returns its
 * secret (to be printed once). Run inside withTransaction; the advisory lock
 * keeps two processes starting together from both creating one.
 */
export async function ensureAdminToken(
  client: Queryable,
  configuredSecret: string | undefined,
): Promise<{ createdSecret?: string }> {
  await client.query(`select pg_advisory_xact_lock(hashtext('flagship.ensure_admin_token'))`);
  if (configuredSecret !== undefined) {
    await client.query(
      `insert into api_token (name, kind, secret_hash) values ('FLAGSHIP_ADMIN_TOKEN', 'admin', $1)
       on conflict (secret_hash) do nothing`,
      [hashSecret(configuredSecret)],
    );
    return {};
  }
  const { rowCount } = await client.query(`select 1 from api_token where kind = 'admin' and revoked_at is null limit 1`);
  if (rowCount) return {};
  const { secret } = await createToken(client, { name: 'first admin', kind: 'admin' });
  return { createdSecret: secret };
}
