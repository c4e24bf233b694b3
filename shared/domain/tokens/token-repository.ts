import { createHash, randomBytes } from 'node:crypto';
import type { CreateToken, Token, TokenKind } from '../../schemas/tokens.js';
import type { Queryable } from '../../db/pool.js';

export const TOKEN_COLUMNS = `
  id, name, kind, environment_key as environment, projects, user_id as "userId", created_at as "createdAt",
  expires_at as "expiresAt", revoked_at as "revokedAt"`;

/** A token that works: not revoked, not expired. */
const LIVE = `revoked_at is null and (expires_at is null or expires_at > now())`;

/** Secrets are 256 random bits, so SHA-256 (not a slow password hash) is the right digest. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newSecret(kind: TokenKind): string {
  return `fs_${kind}_${randomBytes(32).toString('base64url')}`;
}

/**
 * The installation's tokens for programs (admin, sdk, frontend), live and
 * revoked. Personal tokens are their user's own business (GET /v1/me/tokens):
 * they end with the user, not through /v1/tokens.
 */
export async function listTokens(db: Queryable): Promise<Token[]> {
  const { rows } = await db.query<Token>(`select ${TOKEN_COLUMNS} from api_token where kind <> 'personal' order by created_at, id`);
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
    `insert into api_token (name, kind, environment_key, secret_hash, projects)
     values ($1, $2, $3, $4, $5)
     returning ${TOKEN_COLUMNS}`,
    [input.name, input.kind, input.kind === 'admin' ? null : input.environment, hashSecret(secret), input.kind === 'admin' ? ['*'] : (input.projects ?? ['*'])],
  );
  return rows[0]!;
}

/** Stores a new personal token of `userId` and returns the secret, which exists nowhere else afterwards. */
export async function createPersonalTokenRow(
  db: Queryable,
  input: { userId: string; name: string; expiresAt?: string },
): Promise<{ token: Token; secret: string }> {
  const secret = newSecret('personal');
  const { rows } = await db.query<Token>(
    `insert into api_token (name, kind, user_id, expires_at, secret_hash)
     values ($1, 'personal', $2, $3, $4)
     returning ${TOKEN_COLUMNS}`,
    [input.name, input.userId, input.expiresAt ?? null, hashSecret(secret)],
  );
  return { token: rows[0]!, secret };
}

/** The live (not revoked) token whose secret this is, if any. */
export async function findActiveToken(db: Queryable, secret: string): Promise<Token | undefined> {
  const { rows } = await db.query<Token>(
    `select ${TOKEN_COLUMNS} from api_token where secret_hash = $1 and ${LIVE}`,
    [hashSecret(secret)],
  );
  return rows[0];
}

/**
 * Which of these ids are no longer live (the revocation watch's poll): a
 * token revoked, expired or gone, or a sign-in session ended, expired or gone
 * (sessions are watched by id like tokens: shared/domain/people/).
 */
export async function listRevokedTokenIds(db: Queryable, ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select watched.id::text as id
       from unnest($1::uuid[]) as watched (id)
      where not exists (select 1 from api_token t where t.id = watched.id and t.revoked_at is null
                           and (t.expires_at is null or t.expires_at > now()))
        and not exists (select 1 from user_session s where s.id = watched.id and s.ended_at is null and s.expires_at > now())`,
    [ids],
  );
  return rows.map((row) => row.id);
}

/** The stored hash and environment of a live sdk or frontend token, by id (for credentials derived from the hash). */
export async function findActiveSdkTokenHash(
  db: Queryable,
  id: string,
): Promise<{ secretHash: string; environment: string; projects: string[] } | undefined> {
  const { rows } = await db.query<{ secretHash: string; environment: string; projects: string[] }>(
    `select secret_hash as "secretHash", environment_key as environment, projects
       from api_token
      where id = $1 and kind in ('sdk', 'frontend') and revoked_at is null`,
    [id],
  );
  return rows[0];
}

/** Serialises revocations until the transaction ends (the last-admin rule reads, then writes). */
export async function lockTokenRevocations(db: Queryable): Promise<void> {
  await db.query(`select pg_advisory_xact_lock(hashtext('flagship.revoke_token'))`);
}

/** The token, its row locked until the transaction ends. */
export async function findTokenForUpdate(db: Queryable, id: string): Promise<Token | undefined> {
  const { rows } = await db.query<Token>(`select ${TOKEN_COLUMNS} from api_token where id = $1 for update`, [id]);
  return rows[0];
}

export async function countLiveAdminTokens(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `select count(*)::int as count from api_token where kind = 'admin' and revoked_at is null`,
  );
  return rows[0]!.count;
}

export async function markTokenRevoked(db: Queryable, id: string): Promise<Token> {
  const { rows } = await db.query<Token>(`update api_token set revoked_at = now() where id = $1 returning ${TOKEN_COLUMNS}`, [id]);
  return rows[0]!;
}

/** The name that marks the admin token FLAGSHIP_ADMIN_TOKEN registered (shared/domain/tokens/admin-bootstrap.ts). */
export const CONFIGURED_ADMIN_TOKEN_NAME = 'FLAGSHIP_ADMIN_TOKEN';

/** Takes the lock that serialises making sure an admin can get in (run inside withTransaction): two starts at once wait for each other. */
export async function lockAdminBootstrap(db: Queryable): Promise<void> {
  await db.query(`select pg_advisory_xact_lock(hashtext('flagship.ensure_admin_token'))`);
}

/** The token whose secret this is, revoked or not. */
export async function findTokenBySecret(db: Queryable, secret: string): Promise<Token | undefined> {
  const { rows } = await db.query<Token>(`select ${TOKEN_COLUMNS} from api_token where secret_hash = $1`, [hashSecret(secret)]);
  return rows[0];
}

/** Stores an admin token for a secret chosen outside FlagShip (FLAGSHIP_ADMIN_TOKEN). */
export async function insertAdminTokenWithSecret(db: Queryable, name: string, secret: string): Promise<Token> {
  return insertToken(db, { name, kind: 'admin' }, secret);
}

/** Revokes every live admin token of this name but `keepId`, returning them. */
export async function revokeAdminTokensNamed(db: Queryable, name: string, keepId: string): Promise<Token[]> {
  const { rows } = await db.query<Token>(
    `update api_token set revoked_at = now()
      where kind = 'admin' and name = $1 and id <> $2 and revoked_at is null
     returning ${TOKEN_COLUMNS}`,
    [name, keepId],
  );
  return rows;
}

export async function hasLiveAdminToken(db: Queryable): Promise<boolean> {
  const { rowCount } = await db.query(`select 1 from api_token where kind = 'admin' and revoked_at is null limit 1`);
  return Boolean(rowCount);
}
