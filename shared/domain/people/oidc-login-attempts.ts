import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { LoginChecks } from './oidc-relying-party.js';

/*
 * A login attempt is one random secret, held only by the browser in an
 * HttpOnly cookie. State, nonce and PKCE verifier are derived from it, so
 * the server stores none of them (only the secret's hash, to make the attempt
 * single-use and expire) and nothing that could finish a sign-in is ever
 * written down or logged. A callback from another browser (login CSRF) lacks
 * the cookie; one with a state that is not this browser's fails the state check.
 */

/** A fresh attempt secret: 256 random bits, base64url. */
export function newAttemptSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The attempt's row id: its secret's SHA-256 (the secret has 256 bits, so no slow hash is needed). */
export function attemptId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

const derive = (secret: string, purpose: string) => createHmac('sha256', secret).update(purpose).digest('base64url');

/** The state, nonce and PKCE verifier (43 characters, as RFC 7636 asks) of the attempt this secret started. */
export function loginChecks(secret: string): LoginChecks {
  return { state: derive(secret, 'state'), nonce: derive(secret, 'nonce'), codeVerifier: derive(secret, 'pkce-code-verifier') };
}

/** Whether the cookie's value could be a secret newAttemptSecret made (anything else is refused before a lookup). */
export function isAttemptSecret(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
