import type { Pool } from '../../db/pool.js';
import { AppError } from '../../errors.js';
import type { User } from '../../schemas/people.js';
import { decoyPasswordHash, verifyPassword } from './passwords.js';
import { startSession, type SessionPolicy, type StartedSession } from './session-service.js';
import { beginSignInAttempt, signInSubjects } from './sign-in-limits.js';
import { findUserByEmail } from './user-repository.js';
import { publicUser } from './public-user.js';

/** The one answer to a wrong password, an unknown email, an invitation not answered or an SSO account: nothing tells them apart. */
export class InvalidCredentialsError extends AppError {
  constructor() {
    super(401, 'invalid_credentials', 'wrong email or password');
  }
}

/**
 * A local sign-in: rate-limited per account and per address
 * (sign-in-limits.ts), the password checked against its argon2id hash (an
 * unknown email against a decoy, so it takes as long), then a session.
 */
export async function signInWithPassword(
  pool: Pool,
  input: { email: string; password: string; address: string; now?: Date; policy?: SessionPolicy },
): Promise<{ user: User; session: StartedSession }> {
  const now = input.now ?? new Date();
  const attempt = await beginSignInAttempt(pool, signInSubjects(input.email, input.address), now);
  const user = await findUserByEmail(pool, input.email.trim());
  const hash = user?.passwordHash ?? (await decoyPasswordHash());
  const matches = await verifyPassword(hash, input.password);
  if (!user || user.passwordHash === null || !matches) throw new InvalidCredentialsError();
  await attempt.succeeded();
  const session = await startSession(pool, user.id, { method: 'password', now, policy: input.policy });
  return { user: publicUser(user), session };
}
