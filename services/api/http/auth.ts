import type { Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../../shared/errors.js';
import type { Token, TokenKind } from '../../../shared/schemas/tokens.js';
import type { TokenLookup } from './token-cache.js';

/** Returns the guard for one token kind (or any of several): it resolves the caller's token or throws 401/403. */
export type Authenticator = (kinds: TokenKind | readonly TokenKind[]) => (req: Request) => Promise<Token>;

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function bearerSecret(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

export function createAuthenticator(tokens: TokenLookup): Authenticator {
  return (kinds) => async (req) => {
    const accepted: readonly TokenKind[] = typeof kinds === 'string' ? [kinds] : kinds;
    const secret = bearerSecret(req.headers.authorization);
    if (!secret) throw new UnauthorizedError();
    const token = await tokens.find(secret);
    if (!token) throw new UnauthorizedError('unknown or revoked token');
    if (!accepted.includes(token.kind)) {
      throw new ForbiddenError(`this route needs an ${accepted.join(' or ')} token, not an ${token.kind} token`);
    }
    return token;
  };
}
