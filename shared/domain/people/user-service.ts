import type { Pool } from '../../db/pool.js';
import { UNIQUE_VIOLATION, hasPostgresCode } from '../../db/postgres-errors.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { User } from '../../schemas/people.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';
import type { RoleGrant } from './principal.js';
import { createLinkIn, type PasswordLink } from './password-links.js';
import { publicUser } from './public-user.js';
import {
  deleteUserRow,
  findUserById,
  findUserByIdentityForUpdate,
  insertUser,
  listUserRecords,
  replaceGrants,
  updateUserRow,
} from './user-repository.js';

export { publicUser };

function emailTaken(email: string): ConflictError {
  return new ConflictError(`a user with email '${email}' exists`, [{ in: 'body', path: ['email'], message: 'taken' }]);
}

export async function listUsers(pool: Pool): Promise<User[]> {
  return (await listUserRecords(pool)).map(publicUser);
}

export async function getUser(pool: Pool, id: string): Promise<User> {
  const user = await findUserById(pool, id);
  if (!user) throw new NotFoundError(`user '${id}' does not exist`);
  return publicUser(user);
}

export interface NewUser {
  email: string;
  name: string;
  roles: RoleGrant[];
  /** A local account's first password (policy-checked); without it the user answers an invitation or signs in with SSO. */
  password?: string;
}

/**
 * Creates a user with its roles (409 when the email is taken, whatever its
 * case). Without a password, with an invitation to set one (`invite`: its
 * secret is in this answer only).
 */
export async function createUser(pool: Pool, input: NewUser, now = new Date()): Promise<{ user: User; invite?: PasswordLink }> {
  if (input.password !== undefined) checkPasswordPolicy(input.password, input.email);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  try {
    return await withTransaction(pool, async (client) => {
      const id = await insertUser(client, { email: input.email, name: input.name, passwordHash });
      await replaceGrants(client, id, input.roles);
      const invite = passwordHash === null ? await createLinkIn(client, id, 'invite', now) : undefined;
      return { user: publicUser((await findUserById(client, id))!), ...(invite && { invite }) };
    });
  } catch (error) {
    if (hasPostgresCode(error, UNIQUE_VIOLATION)) throw emailTaken(input.email);
    throw error;
  }
}

export interface UserChange {
  email?: string;
  name?: string;
  roles?: RoleGrant[];
}

/** Changes a user's email, name or roles (roles replace the previous ones). New roles count from the user's next request. */
export async function changeUser(pool: Pool, id: string, change: UserChange): Promise<User> {
  try {
    return await withTransaction(pool, async (client) => {
      if (!(await updateUserRow(client, id, { email: change.email, name: change.name }))) {
        throw new NotFoundError(`user '${id}' does not exist`);
      }
      if (change.roles !== undefined) await replaceGrants(client, id, change.roles);
      return publicUser((await findUserById(client, id))!);
    });
  } catch (error) {
    if (hasPostgresCode(error, UNIQUE_VIOLATION)) throw emailTaken(change.email ?? '');
    throw error;
  }
}

/**
 * Removes a user, with their sessions and personal tokens. Returns the ids of
 * those that were live: the caller tells every process (the revocation watch)
 * so they stop working at once.
 */
export async function removeUser(pool: Pool, id: string): Promise<{ user: User; endedCredentialIds: string[] }> {
  return withTransaction(pool, async (client) => {
    const user = await findUserById(client, id);
    if (!user) throw new NotFoundError(`user '${id}' does not exist`);
    const { endedCredentialIds } = await deleteUserRow(client, id);
    return { user: publicUser(user), endedCredentialIds };
  });
}

export interface IdentityClaims {
  /** The OpenID Connect issuer. */
  issuer: string;
  /** The ID token's `sub` at that issuer. */
  subject: string;
  email: string;
  name: string;
  /** The roles the identity provider's groups map to: they replace the user's roles at each sign-in. */
  roles: RoleGrant[];
}

/**
 * The user of an OpenID Connect identity: created at the first sign-in,
 * updated (email, name, roles) at each one after. An email that a local
 * account (or another identity) already holds is a 409: accounts are never
 * joined by email alone, which would let whoever controls an email at some
 * issuer take over the account.
 */
export async function upsertIdentityUser(pool: Pool, claims: IdentityClaims): Promise<User> {
  try {
    return await withTransaction(pool, async (client) => {
      const existing = await findUserByIdentityForUpdate(client, claims.issuer, claims.subject);
      const id =
        existing?.id ??
        (await insertUser(client, { email: claims.email, name: claims.name, issuer: claims.issuer, subject: claims.subject }));
      if (existing) await updateUserRow(client, id, { email: claims.email, name: claims.name });
      await replaceGrants(client, id, claims.roles);
      return publicUser((await findUserById(client, id))!);
    });
  } catch (error) {
    if (hasPostgresCode(error, UNIQUE_VIOLATION)) throw emailTaken(claims.email);
    throw error;
  }
}
