import type { Request, Response } from 'express';
import { SESSION_COOKIE, type StartedSession } from '../../../shared/domain/people/session-service.js';

/**
 * Whether the browser reached FlagShip over TLS: FLAGSHIP_PUBLIC_URL says
 * https, or (FLAGSHIP_TRUST_PROXY) the proxy in front says so. The session
 * cookie is then Secure: never sent over plain HTTP.
 */
export function reachedOverTls(req: Request, options: { publicUrl?: string; trustProxy?: boolean }): boolean {
  if (options.publicUrl !== undefined) return options.publicUrl.startsWith('https:');
  if (options.trustProxy) return String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase() === 'https';
  return false;
}

/** Sets the session cookie: HttpOnly (no script reads it), SameSite=Lax, Secure behind TLS, until the session's absolute expiry. */
export function setSessionCookie(res: Response, session: Pick<StartedSession, 'cookieValue' | 'expiresAt'>, options: { secure: boolean }): void {
  res.cookie(SESSION_COOKIE, session.cookieValue, {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    path: '/',
    expires: session.expiresAt,
  });
}

/** Tells the browser to forget the session cookie (sign-out). */
export function clearSessionCookie(res: Response, options: { secure: boolean }): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' });
}
