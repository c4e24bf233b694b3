import type { Request, Response } from 'express';
import { z } from 'zod';
import type { OidcConfig } from '../../../shared/config/oidc.js';
import { AppError } from '../../../shared/errors.js';
import { RETRY_AFTER_SECONDS } from '../../../shared/error-classifier.js';
import { LOGIN_ATTEMPT_TTL_MS, type OidcSignIn } from '../../../shared/domain/people/oidc-sign-in-service.js';
import { cookieOf } from '../http/auth.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { sendSignInProblem } from './sign-in-pages.js';

/** What GET /auth/oidc/login's button says on the sign-in page (GET /auth/methods `sso`). */
export const SSO_SIGN_IN = Object.freeze({ label: 'Sign in with SSO', loginUrl: '/auth/oidc/login' });

/** The login attempt's cookie: scoped to the two OIDC routes, gone after the callback. */
export const ATTEMPT_COOKIE = 'flagship_oidc_attempt';

/** Starts a session for a user and sets its cookie on the response (the people module's sessions). */
export type StartSession = (userId: string, req: Request, res: Response) => Promise<void>;

export interface OidcRouteDeps {
  /** Undefined when FLAGSHIP_OIDC_ISSUER is not set: the routes say single sign-on is off. */
  oidc: { config: OidcConfig; signIn: OidcSignIn; startSession: StartSession } | undefined;
}

// The provider's answer: RFC 6749 and RFC 9207 parameters, plus whatever else a provider adds (Keycloak's session_state).
const CallbackQuerySchema = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

function attemptCookie(config: OidcConfig, value: string, maxAgeSeconds: number): string {
  const secure = config.redirectUri.startsWith('https:') ? '; Secure' : '';
  // Lax: the provider sends the browser back with a top-level GET, which Lax cookies ride along.
  return `${ATTEMPT_COOKIE}=${value}; Path=/auth/oidc; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

/**
 * Answers a sign-in that cannot go on with a page (a browser is at the other
 * end). Refusals and an absent provider are expected: logged without the
 * error's details, which can carry the person's claims.
 */
function answerProblem(table: RouteTable, req: Request, res: Response, error: unknown): void {
  if (error instanceof AppError) {
    if (error.status === 503) table.reportError(error, { method: req.method, path: req.path });
    sendSignInProblem(res, error.status, error.code, error.message, error.status === 503 ? RETRY_AFTER_SECONDS : undefined);
    return;
  }
  const classification = table.reportError(error, { method: req.method, path: req.path });
  sendSignInProblem(
    res,
    classification.status,
    classification.code,
    classification.status === 500 ? 'Sign-in failed on our side; the server log says why' : classification.message,
    classification.status === 503 ? RETRY_AFTER_SECONDS : undefined,
  );
}

/** GET /auth/oidc/login and its callback: OpenID Connect sign-in (authorization code with PKCE, state and nonce). */
export function addOidcRoutes(table: RouteTable, { oidc }: OidcRouteDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/auth/oidc/login',
    summary: 'Sign in with single sign-on: sends the browser to the identity provider',
    description:
      'Starts an OpenID Connect sign-in (authorization code with PKCE, state and nonce) and redirects (302) to the identity provider. ' +
      'The attempt lives in an HttpOnly cookie for ten minutes and can finish once. ' +
      '503 (a page, with Retry-After) while the identity provider does not answer; 404 when single sign-on is not configured.',
    tags: ['sign-in'],
    auth: 'public',
    responses: {
      302: { description: 'To the identity provider', headers: { Location: "The provider's authorization endpoint" } },
      404: { description: 'Single sign-on is not configured' },
      503: { description: 'The identity provider does not answer (a page)', headers: { 'Retry-After': 'Seconds to wait before trying again' } },
    },
    handle: async ({ req, res }) => {
      if (!oidc) return sendSignInProblem(res, 404, 'oidc_not_configured', 'Single sign-on is not configured on this FlagShip (FLAGSHIP_OIDC_ISSUER)');
      try {
        const attempt = await oidc.signIn.begin();
        res.append('Set-Cookie', attemptCookie(oidc.config, attempt.secret, LOGIN_ATTEMPT_TTL_MS / 1000));
        res.setHeader('Cache-Control', 'no-store');
        res.redirect(302, attempt.url.href);
      } catch (error) {
        answerProblem(table, req, res, error);
      }
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/auth/oidc/callback',
    summary: 'Where the identity provider sends the browser back',
    description:
      'Finishes the sign-in this browser started: the state, the issuer, the code (redeemed with the PKCE verifier) and the ID token ' +
      '(issuer, audience, nonce, expiry, signature) are checked by openid-client; the user is created or updated from the role claim ' +
      '(FLAGSHIP_OIDC_ROLE_MAP), a session starts and the browser goes to the console (303). Anything off is a page and no session: ' +
      '400 for a forged, replayed or expired answer, 403 when the provider refused or the person has no role, 503 while the provider does not answer.',
    tags: ['sign-in'],
    auth: 'public',
    query: CallbackQuerySchema,
    responses: {
      303: { description: 'Signed in: to the console, with the session cookie', headers: { Location: 'The console', 'Set-Cookie': 'The session' } },
      400: { description: 'A forged, replayed or expired answer (a page)' },
      403: { description: 'The provider refused, or no group gives the person a role (a page)' },
      404: { description: 'Single sign-on is not configured' },
      503: { description: 'The identity provider does not answer (a page)', headers: { 'Retry-After': 'Seconds to wait before trying again' } },
    },
    handle: async ({ req, res }) => {
      if (!oidc) return sendSignInProblem(res, 404, 'oidc_not_configured', 'Single sign-on is not configured on this FlagShip (FLAGSHIP_OIDC_ISSUER)');
      // Whatever happens, the attempt is over: its cookie goes.
      res.append('Set-Cookie', attemptCookie(oidc.config, '', 0));
      // The URL registered at the provider, with what it sent: openid-client checks both.
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      try {
        const { userId } = await oidc.signIn.finish(cookieOf(req, ATTEMPT_COOKIE), new URL(`${oidc.config.redirectUri}${query}`));
        await oidc.startSession(userId, req, res);
        res.setHeader('Cache-Control', 'no-store');
        res.redirect(303, '/');
      } catch (error) {
        answerProblem(table, req, res, error);
      }
    },
  });
}
