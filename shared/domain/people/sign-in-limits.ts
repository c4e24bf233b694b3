import { createHash } from 'node:crypto';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { RateLimitedError } from '../../errors.js';
import { countRecentFailures, deleteFailures, insertFailures, lockFailureSubjects } from './sign-in-failure-repository.js';

/** 10 failed sign-ins for an account, or from an address, within 15 minutes: the 11th waits (429). */
export const SIGN_IN_LIMIT = { failures: 10, windowMs: 15 * 60 * 1000 } as const;

/**
 * What failures are counted under: the email (lowercased) and the address,
 * each as a hash. An unknown email counts exactly like a known one, so the
 * limit says nothing about which accounts exist; the table holds no email
 * or address in clear.
 */
export function signInSubjects(email: string, address: string): string[] {
  const hash = (value: string) => createHash('sha256').update(value).digest('hex');
  return [hash(`email:${email.trim().toLowerCase()}`), hash(`address:${address}`)];
}

/** An attempt under way: counted as a failure until it is known to have succeeded. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
}

/**
 * Takes a sign-in attempt, or refuses it with a 429 (Retry-After: when the
 * oldest failure that keeps the count at the limit leaves the window).
 * The attempt is recorded as a failure before the password is checked
 * (then removed if it succeeds), so parallel guesses cannot slip past the
 * limit between the count and the check.
 */
export async function beginSignInAttempt(pool: Pool, subjects: string[], now: Date): Promise<SignInAttempt> {
  const since = new Date(now.getTime() - SIGN_IN_LIMIT.windowMs);
  const ids = await withTransaction(pool, async (client) => {
    await lockFailureSubjects(client, subjects);
    const recent = await countRecentFailures(client, subjects, since, SIGN_IN_LIMIT.failures);
    const blocking = recent.filter((subject) => subject.count >= SIGN_IN_LIMIT.failures);
    if (blocking.length > 0) {
      const freeAt = Math.max(...blocking.map((subject) => new Date(subject.limitFailureAt).getTime() + SIGN_IN_LIMIT.windowMs));
      const seconds = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
      throw new RateLimitedError(`too many failed sign-ins: try again in ${seconds} s`, seconds);
    }
    return insertFailures(client, subjects, now, since);
  });
  return { succeeded: () => deleteFailures(pool, ids) };
}
