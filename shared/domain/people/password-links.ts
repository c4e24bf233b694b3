import { createHash, randomBytes } from 'node:crypto';
import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { User } from '../../schemas/people.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';
import { endSessionsOfUser } from './session-repository.js';
import { insertLink, useLink, type LinkPurpose } from './user-link-repository.js';
import { findUserById, updateUserRow } from './user-repository.js';
import { publicUser } from './public-user.js';

/** An invitation waits a week; a reset link an hour. Either works once. */
export const LINK_LIFETIME_MS: Record<LinkPurpose, number> = { invite: 7 * 24 * 60 * 60 * 1000, reset: 60 * 60 * 1000 };

/** Where the console answers a link: the secret travels in the fragment, which browsers never send to a server (nor to logs). */
export function passwordLinkUrl(origin: string, secret: string): string {
  return `${origin}/set-password#token=${secret}`;
}

const hashLinkSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export interface PasswordLink {
  secret: string;
  expiresAt: Date;
}

/** Makes a one-time link for the user to set a password: an invitation (a new user) or a reset. */
export async function createPasswordLink(pool: Pool, userId: string, purpose: LinkPurpose, now = new Date()): Promise<PasswordLink> {
  return withTransaction(pool, async (client) => {
    const user = await findUserById(client, userId);
    if (!user) throw new NotFoundError(`user '${userId}' does not exist`);
    if (user.issuer !== null) throw new ConflictError('this user signs in with single sign-on: their password lives with the identity provider');
    return createLinkIn(client, userId, purpose, now);
  });
}

/** createPasswordLink inside the caller's transaction (a new user's invitation). */
export async function createLinkIn(client: Queryable, userId: string, purpose: LinkPurpose, now: Date): Promise<PasswordLink> {
  const secret = `fs_link_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS[purpose]);
  await insertLink(client, { userId, purpose, secretHash: hashLinkSecret(secret), now, expiresAt });
  return { secret, expiresAt };
}

/**
 * Answers a link: sets the user's password (policy-checked) and uses the
 * link up. Every session the user had ends (a reset is often a response to
 * a stolen password); the caller tells the other processes and starts a new one.
 */
export async function setPasswordWithLink(
  pool: Pool,
  secret: string,
  password: string,
  now = new Date(),
): Promise<{ user: User; endedSessionIds: string[] }> {
  const hash = password.length <= 1024 ? await hashPassword(password) : undefined;
  return withTransaction(pool, async (client) => {
    const link = await useLink(client, hashLinkSecret(secret), now);
    if (!link) {
      throw new ValidationError('invalid body: body.token: unknown, expired or already used link: ask an admin for a new one', [
        { in: 'body', path: ['token'], message: 'unknown, expired or already used link' },
      ]);
    }
    const user = (await findUserById(client, link.userId))!;
    // Checked inside the transaction: a refused password rolls the link's use back, so it can be answered again.
    checkPasswordPolicy(password, user.email);
    await updateUserRow(client, user.id, { passwordHash: hash! });
    const endedSessionIds = await endSessionsOfUser(client, user.id, now);
    return { user: publicUser((await findUserById(client, user.id))!), endedSessionIds };
  });
}
