import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { AppError, ForbiddenError, UnauthorizedError } from '../../../shared/errors.js';
import type { PeopleLookup } from '../../../shared/domain/people/people-lookup.js';
import type { Principal } from '../../../shared/domain/people/principal.js';
import { principalOfAdminToken } from '../../../shared/domain/people/principals.js';
import { SESSION_COOKIE, csrfTokenMatches } from '../../../shared/domain/people/session-service.js';
import type { Token, TokenKind } from '../../../shared/schemas/tokens.js';
import type { TokenLookup } from '../../../shared/domain/tokens/token-cache.js';
import { parseUnleashFormSecret, unleashFormMatches } from '../../../shared/domain/tokens/unleash-secret.js';

/** The token kinds a route accepts: one, or several (OFREP takes sdk and frontend tokens). */
export type AcceptedKinds = TokenKind | readonly TokenKind[];

/** Who a request comes from, as the route's guard found out. */
export interface Caller {
  /** The token presented, if any (a session cookie presents none). */
  token?: Token;
  /** On routes that take admin tokens: who is asking (an admin token, or a user by personal token or session). */
  principal?: Principal;
  /** The id of the credential presented (token or session), to watch for its revocation. */
  credentialId: string;
}

/** Returns the guard for the accepted token kinds: it resolves the caller or throws 401/403. */
export type Authenticator = (kinds: AcceptedKinds) => (req: Request) => Promise<Caller>;

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const BARE = /^\s*(\S+)\s*$/;

export function bearerSecret(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * The secret a request presents. Unleash's SDKs send `Authorization: <token>`
 * without a scheme, so under /api/ (Unleash's APIs) the bare secret counts too;
 * everywhere else only `Bearer <secret>` does.
 */
export function presentedSecret(req: Request): string | undefined {
  return secretOf(req.headers.authorization, req.path.startsWith('/api/'));
}

/** presentedSecret from the Authorization header and whether the path is under /api/ (the lean path has no Express request). */
export function secretOf(header: string | undefined, underApi: boolean): string | undefined {
  const bearer = bearerSecret(header);
  if (bearer || !header || !underApi) return bearer;
  return /^Bearer(\s|$)/i.test(header) ? undefined : BARE.exec(header)?.[1];
}

/**
 * The live token a presented secret stands for. Under /api/ (Unleash's APIs)
 * the Unleash form `project:environment.secret` counts too, when the project
 * and environment it names are exactly its token's (`*` for every project,
 * `[]` for several); anything else in that form is no token.
 */
export async function findPresentedToken(tokens: TokenLookup, secret: string, underApi: boolean): Promise<Token | undefined> {
  const unleashForm = underApi ? parseUnleashFormSecret(secret) : undefined;
  if (!unleashForm) return tokens.find(secret);
  const token = await tokens.find(unleashForm.secret);
  return token && unleashFormMatches(unleashForm, token) ? token : undefined;
}

/** Whether a token of this kind may use a route that takes `kinds` (else the guard's 403). */
export function kindAccepted(kinds: AcceptedKinds, token: Token): boolean {
  return typeof kinds === 'string' ? token.kind === kinds : kinds.includes(token.kind);
}

function describe(kinds: readonly TokenKind[]): string {
  const named = kinds.map((kind) => `${kind === 'frontend' || kind === 'personal' ? 'a' : 'an'} ${kind} token`);
  return named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
}

/**
 * Token lookups the lean path (lean-path.ts) already made for a request it then
 * handed to Express: the guard takes the outcome instead of asking again, so an
 * unknown token costs one query and a PostgreSQL that does not answer one wait.
 */
const lookedUp = new WeakMap<IncomingMessage, { secret: string; token: Promise<Token | undefined> }>();

/** Hands the lookup of `secret` the lean path made on to Express's guard (a request it did not answer). */
export function handOnTokenLookup(req: IncomingMessage, secret: string, token: Promise<Token | undefined>): void {
  lookedUp.set(req, { secret, token });
}

export interface AuthenticatorOptions {
  tokens: TokenLookup;
  people: PeopleLookup;
  /** FLAGSHIP_PUBLIC_URL: a cookie-authenticated change whose Origin is this one needs no CSRF header. */
  publicUrl?: string;
}

/** The methods that change something: with a session cookie they need the CSRF header (or the public URL's Origin). */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The CSRF header a cookie-authenticated change carries (its value: GET /v1/me's csrfToken). */
export const CSRF_HEADER = 'x-flagship-csrf';

/** The value of one cookie of the request's Cookie header. */
export function cookieOf(req: Pick<Request, 'headers'>, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * A change made with a session cookie must show that the page that sent it is
 * FlagShip's own: the CSRF token from GET /v1/me in X-FlagShip-CSRF, or an
 * Origin equal to FLAGSHIP_PUBLIC_URL's. Another site can make a browser send
 * the cookie (SameSite=Lax allows top-level POSTs from forms) but can neither
 * read the token nor forge the Origin.
 */
function checkCsrf(req: Request, cookieValue: string, publicOrigin: string | undefined): void {
  if (!STATE_CHANGING.has(req.method)) return;
  const header = req.headers[CSRF_HEADER];
  if (typeof header === 'string' && csrfTokenMatches(cookieValue, header)) return;
  if (publicOrigin !== undefined && req.headers.origin === publicOrigin) return;
  throw new AppError(403, 'csrf_failed', `a change made with a session cookie needs the ${CSRF_HEADER} header (csrfToken from GET /v1/me)`);
}

export function createAuthenticator({ tokens, people, publicUrl }: AuthenticatorOptions): Authenticator {
  const publicOrigin = originOf(publicUrl);
  return (accepted) => {
    const kinds: readonly TokenKind[] = typeof accepted === 'string' ? [accepted] : accepted;
    // Routes that take admin tokens take people too: personal tokens and session cookies.
    const takesPeople = kinds.includes('admin');
    return async (req) => {
      const secret = presentedSecret(req);
      if (!secret) {
        const cookieValue = takesPeople ? cookieOf(req, SESSION_COOKIE) : undefined;
        if (cookieValue === undefined) throw new UnauthorizedError();
        const session = await people.session(cookieValue);
        if (!session) throw new UnauthorizedError('the session ended (signed out, expired or removed): sign in again');
        checkCsrf(req, cookieValue, publicOrigin);
        return { principal: session.principal, credentialId: session.sessionId };
      }
      const earlier = lookedUp.get(req);
      const token = await (earlier?.secret === secret ? earlier.token : findPresentedToken(tokens, secret, req.path.startsWith('/api/')));
      if (!token) throw new UnauthorizedError('unknown or revoked token');
      if (token.kind === 'personal' && takesPeople) {
        const principal = await people.personalPrincipal(token);
        if (!principal) throw new UnauthorizedError('unknown or revoked token');
        return { token, principal, credentialId: token.id };
      }
      if (!kinds.includes(token.kind)) {
        throw new ForbiddenError(`this route needs ${describe(kinds)}, not ${describe([token.kind])}`);
      }
      return { token, principal: token.kind === 'admin' ? principalOfAdminToken(token) : undefined, credentialId: token.id };
    };
  };
}
