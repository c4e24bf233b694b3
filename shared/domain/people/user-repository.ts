import type { Queryable } from '../../db/pool.js';
import type { User } from '../../schemas/people.js';
import type { RoleGrant } from './principal.js';

/** A user as stored, with what only the domain reads (never sent as is: see UserSchema). */
export interface UserRecord extends User {
  passwordHash: string | null;
  issuer: string | null;
}

// Grants in a stable order ('*' first, then by project), so answers compare equal.
const USER_COLUMNS = `
  u.id, u.email, u.name, u.password_hash as "passwordHash", u.issuer,
  case when u.issuer is not null then 'sso' when u.password_hash is not null then 'password' else 'invited' end as "signIn",
  coalesce((select jsonb_agg(jsonb_build_object('role', g.role, 'project', g.project) order by g.project <> '*', g.project)
              from user_role_grant g where g.user_id = u.id), '[]'::jsonb) as roles,
  u.created_at as "createdAt", u.updated_at as "updatedAt"`;

export async function listUserRecords(db: Queryable): Promise<UserRecord[]> {
  const { rows } = await db.query<UserRecord>(`select ${USER_COLUMNS} from app_user u order by lower(u.email), u.id`);
  return rows;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRecord>(`select ${USER_COLUMNS} from app_user u where u.id = $1`, [id]);
  return rows[0];
}

/** The user of this email, whatever its case. */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRecord>(`select ${USER_COLUMNS} from app_user u where lower(u.email) = lower($1)`, [email]);
  return rows[0];
}

/** The single sign-on user of this issuer and subject, its row locked until the transaction ends. */
export async function findUserByIdentityForUpdate(db: Queryable, issuer: string, subject: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `select id from app_user where issuer = $1 and subject = $2 for update`,
    [issuer, subject],
  );
  return rows[0] && findUserById(db, rows[0].id);
}

export interface NewUserRow {
  email: string;
  name: string;
  passwordHash?: string | null;
  issuer?: string;
  subject?: string;
}

/** Inserts a user (a unique violation on the email is the caller's 409). Returns its id. */
export async function insertUser(db: Queryable, user: NewUserRow): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into app_user (email, name, password_hash, issuer, subject) values ($1, $2, $3, $4, $5) returning id`,
    [user.email, user.name, user.passwordHash ?? null, user.issuer ?? null, user.subject ?? null],
  );
  return rows[0]!.id;
}

export async function updateUserRow(
  db: Queryable,
  id: string,
  change: { email?: string; name?: string; passwordHash?: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update app_user
        set email = coalesce($2, email), name = coalesce($3, name),
            password_hash = coalesce($4, password_hash), updated_at = now()
      where id = $1`,
    [id, change.email ?? null, change.name ?? null, change.passwordHash ?? null],
  );
  return rowCount === 1;
}

/** Replaces every grant of the user. */
export async function replaceGrants(db: Queryable, userId: string, grants: readonly RoleGrant[]): Promise<void> {
  await db.query(`delete from user_role_grant where user_id = $1`, [userId]);
  if (grants.length === 0) return;
  await db.query(
    `insert into user_role_grant (user_id, project, role)
     select $1, g.project, g.role from jsonb_to_recordset($2::jsonb) as g (project text, role text)`,
    [userId, JSON.stringify(grants)],
  );
}

/**
 * Deletes the user; its sessions, personal tokens, grants and links go with it
 * (foreign keys). Returns the ids of the sessions and tokens that were live,
 * which every process must stop accepting now.
 */
export async function deleteUserRow(db: Queryable, id: string): Promise<{ deleted: boolean; endedCredentialIds: string[] }> {
  const { rows } = await db.query<{ id: string }>(
    `select id from user_session where user_id = $1 and ended_at is null
     union all
     select id from api_token where user_id = $1 and revoked_at is null`,
    [id],
  );
  const { rowCount } = await db.query(`delete from app_user where id = $1`, [id]);
  return { deleted: rowCount === 1, endedCredentialIds: rows.map((row) => row.id) };
}

/** The ids of the user's live sessions and personal tokens (whose principal must be read again after a change of roles). */
export async function listLiveCredentialIds(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id from user_session where user_id = $1 and ended_at is null
     union all
     select id from api_token where user_id = $1 and revoked_at is null`,
    [userId],
  );
  return rows.map((row) => row.id);
}
