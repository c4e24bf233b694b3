import { z } from 'zod';
import { signInWithPassword } from '../../../shared/domain/people/local-sign-in.js';
import { setPasswordWithLink } from '../../../shared/domain/people/password-links.js';
import { SESSION_COOKIE, csrfTokenMatches, csrfTokenOf, endSession, startSession } from '../../../shared/domain/people/session-service.js';
import type { TokenLookup } from '../../../shared/domain/tokens/token-cache.js';
import { AppError } from '../../../shared/errors.js';
import { UserSchema } from '../../../shared/schemas/people.js';
import type { ApiDeps } from '../deps.js';
import { CSRF_HEADER, cookieOf } from '../http/auth.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { clearSessionCookie, reachedOverTls, setSessionCookie } from '../http/session-cookie.js';

const SignInSchema = z
  .strictObject({
    // Not checked as an email: any string gets the same answer as a wrong password.
    email: z.string().max(320),
    password: z.string().max(1024),
  })
  .meta({ id: 'SignIn', description: 'A local account\'s email and password' });

const SetPasswordSchema = z
  .strictObject({
    token: z.string().max(200).meta({ description: 'The secret of an invitation or reset link (after `#token=` in its URL)' }),
    password: z.string().max(1024),
  })
  .meta({ id: 'SetPassword', description: 'Answers an invitation or reset link with a new password' });

const SignedInSchema = z
  .object({ user: UserSchema, csrfToken: z.string() })
  .meta({ id: 'SignedIn', description: 'Who signed in, and the CSRF token their changes send as X-FlagShip-CSRF' });

const SignInMethodsSchema = z
  .object({
    password: z.boolean().meta({ description: 'Local accounts (POST /auth/login)' }),
    sso: z
      .object({ label: z.string(), loginUrl: z.string() })
      .nullable()
      .meta({ description: 'Single sign-on when it is configured: where the console\'s button leads' }),
  })
  .meta({ id: 'SignInMethods', description: 'How people can sign in here' });

/** POST /auth/login, POST /auth/logout, POST /auth/password, GET /auth/methods. */
export function addAuthRoutes(table: RouteTable, deps: ApiDeps & { tokens: TokenLookup }): void {
  const { pool, tokens } = deps;
  const secure = (req: Parameters<typeof reachedOverTls>[0]) => reachedOverTls(req, deps);
  const clock = deps.clock ?? (() => new Date());

  addRoute(table, {
    method: 'get',
    path: '/auth/methods',
    summary: 'How people can sign in here (for the sign-in page)',
    description: 'Whether local accounts and single sign-on are available, and where the single sign-on button leads.',
    tags: ['sign-in'],
    auth: 'public',
    responses: { 200: { description: 'The sign-in methods', schema: SignInMethodsSchema } },
    handle: async () => ({ body: { password: true, sso: deps.singleSignOn ?? null } }),
  });

  addRoute(table, {
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in with a local account; sets the session cookie',
    description:
      'Checks the email and password and sets the HttpOnly session cookie. A wrong password, an unknown email, an unanswered invitation ' +
      'and a single sign-on account all get the same 401 `invalid_credentials`. After 10 failures for an email or from an address within ' +
      '15 minutes, a 429 with Retry-After, for unknown emails too.',
    tags: ['sign-in'],
    auth: 'public',
    body: SignInSchema,
    example: { email: 'ana@example.com', password: 'correct horse battery staple' },
    responses: {
      200: { description: 'Signed in: the session cookie is set', schema: SignedInSchema },
      401: { description: 'Wrong email or password (`invalid_credentials`)' },
      429: { description: 'Too many failed sign-ins for this email or from this address', headers: { 'Retry-After': 'Seconds until the next attempt is taken' } },
    },
    handle: async ({ body, req, res }) => {
      const { user, session } = await signInWithPassword(pool, {
        email: body.email,
        password: body.password,
        address: req.socket.remoteAddress ?? 'unknown',
        now: clock(),
        policy: deps.sessionPolicy,
      });
      setSessionCookie(res, session, { secure: secure(req) });
      return { body: { user, csrfToken: csrfTokenOf(session.cookieValue) }, headers: { 'Cache-Control': 'no-store' } };
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/auth/logout',
    summary: 'Sign out: the session ends in every API process',
    description:
      'Ends the session of the cookie and clears the cookie; the session is refused at once by every API process and its open change streams ' +
      'end within a second. With a live session it needs the CSRF header (or the public Origin), like every change. Signing out twice is fine.',
    tags: ['sign-in'],
    auth: 'public',
    bodyRequired: false,
    responses: { 204: { description: 'Signed out' } },
    handle: async ({ req, res }) => {
      const cookieValue = cookieOf(req, SESSION_COOKIE);
      if (cookieValue !== undefined) {
        const header = req.headers[CSRF_HEADER];
        const fromPublicUrl = deps.publicUrl !== undefined && req.headers.origin === new URL(deps.publicUrl).origin;
        if (!fromPublicUrl && (typeof header !== 'string' || !csrfTokenMatches(cookieValue, header))) {
          throw new AppError(403, 'csrf_failed', `signing out needs the ${CSRF_HEADER} header (csrfToken from GET /v1/me)`);
        }
        const sessionId = await endSession(pool, cookieValue, clock());
        if (sessionId !== undefined) await tokens.revoked(sessionId);
      }
      clearSessionCookie(res, { secure: secure(req) });
      return { status: 204 };
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/auth/password',
    summary: 'Answer an invitation or reset link: set the password and sign in',
    description:
      'Sets the password of the link\'s user (12 to 256 characters, not the email), uses the link up (it works once, until it expires), ' +
      'ends every other session of the user, and signs in (sets the session cookie).',
    tags: ['sign-in'],
    auth: 'public',
    body: SetPasswordSchema,
    example: { token: 'fs_link_…', password: 'correct horse battery staple' },
    responses: {
      200: { description: 'Password set and signed in', schema: SignedInSchema },
      400: { description: 'A password the policy refuses, or an unknown, expired or used link' },
    },
    handle: async ({ body, req, res }) => {
      const now = clock();
      const { user, endedSessionIds } = await setPasswordWithLink(pool, body.token, body.password, now);
      await Promise.all(endedSessionIds.map((id) => tokens.revoked(id)));
      const session = await startSession(pool, user.id, { method: 'password', now, policy: deps.sessionPolicy });
      setSessionCookie(res, session, { secure: secure(req) });
      return { body: { user, csrfToken: csrfTokenOf(session.cookieValue) }, headers: { 'Cache-Control': 'no-store' } };
    },
  });
}
