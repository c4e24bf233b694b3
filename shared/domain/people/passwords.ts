import argon2 from 'argon2';
import { ValidationError } from '../../errors.js';

/**
 * argon2id with the parameters OWASP's password storage cheat sheet lists
 * first (19 MiB, 2 passes, 1 lane): about 30 ms here, so a sign-in costs
 * little and a stolen hash costs an attacker a great deal.
 */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The password policy (NIST SP 800-63B: length over composition rules): 12 to
 * 256 characters, not the account's email, not one character repeated. Throws
 * the 400 naming `field`.
 */
export function checkPasswordPolicy(password: string, email: string | undefined, field = 'password'): void {
  const problem =
    [...password].length < PASSWORD_MIN_LENGTH
      ? `must be at least ${PASSWORD_MIN_LENGTH} characters`
      : [...password].length > PASSWORD_MAX_LENGTH
        ? `must be at most ${PASSWORD_MAX_LENGTH} characters`
        : email !== undefined && password.trim().toLowerCase() === email.trim().toLowerCase()
          ? 'must not be the email address'
          : new Set(password).size === 1
            ? 'must not be one character repeated'
            : undefined;
  if (problem) throw new ValidationError(`invalid body: body.${field}: ${problem}`, [{ in: 'body', path: [field], message: problem }]);
}

/** The argon2id PHC string of a password (its salt inside): the only form a password is ever kept in. */
export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** Whether `password` is the one `hash` was made from (false for a malformed hash, never a throw). */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a password nobody has, made once: a sign-in for an unknown email
 * verifies against it, so it takes as long as one for a known email (no
 * enumeration by timing).
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return decoyHash;
}
