import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../../shared/errors.js';
import type { Token, TokenKind } from '../../../shared/schemas/tokens.js';
import type { TokenLookup } from '../../../shared/domain/tokens/token-cache.js';

/** The token kinds a route accepts: one, or several (OFREP takes sdk and frontend tokens). */
export type AcceptedKinds = TokenKind | readonly TokenKind[];

/** Returns the guard for the accepted token kinds: it resolves the caller's token or throws 401/403. */
export type Authenticator = (kinds: AcceptedKinds) => (req: Request) => Promise<Token>;

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

/** Whether a token of this kind may use a route that takes `kinds` (else the guard's 403). */
export function kindAccepted(kinds: AcceptedKinds, token: Token): boolean {
  return typeof kinds === 'string' ? token.kind === kinds : kinds.includes(token.kind);
}

function describe(kinds: readonly TokenKind[]): string {
  const named = kinds.map((kind) => `${kind === 'frontend' ? 'a' : 'an'} ${kind} token`);
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

export function createAuthenticator(tokens: TokenLookup): Authenticator {
  return (accepted) => {
    const kinds: readonly TokenKind[] = typeof accepted === 'string' ? [accepted] : accepted;
    return async (req) => {
      const secret = presentedSecret(req);
      if (!secret) throw new UnauthorizedError();
      const earlier = lookedUp.get(req);
      const token = await (earlier?.secret === secret ? earlier.token : tokens.find(secret));
      if (!token) throw new UnauthorizedError('unknown or revoked token');
      if (!kinds.includes(token.kind)) {
        throw new ForbiddenError(`this route needs ${describe(kinds)}, not ${describe([token.kind])}`);
      }
      return token;
    };
  };
}
