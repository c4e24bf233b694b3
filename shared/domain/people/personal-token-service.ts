import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Token } from '../../schemas/tokens.js';
import { createPersonalTokenRow, findTokenForUpdate, markTokenRevoked } from '../tokens/token-repository.js';
import { listPersonalTokensOf } from './personal-token-repository.js';

/** A user's own token (kind `personal`): it acts as the user, with the user's roles at each request. */
export async function createPersonalToken(
  pool: Pool,
  userId: string,
  input: { name: string; expiresAt?: string },
  now = new Date(),
): Promise<{ token: Token; secret: string }> {
  if (input.expiresAt !== undefined && new Date(input.expiresAt).getTime() <= now.getTime()) {
    throw new ValidationError('invalid body: body.expiresAt: must be in the future', [
      { in: 'body', path: ['expiresAt'], message: 'must be in the future' },
    ]);
  }
  return withTransaction(pool, (client) => createPersonalTokenRow(client, { userId, ...input }));
}

export async function listPersonalTokens(pool: Pool, userId: string): Promise<Token[]> {
  return listPersonalTokensOf(pool, userId);
}

/** Revokes one of the user's own tokens (404 for anybody else's: whose tokens exist is not shown). */
export async function revokePersonalToken(pool: Pool, userId: string, tokenId: string): Promise<Token> {
  return withTransaction(pool, async (client) => {
    const token = await findTokenForUpdate(client, tokenId);
    if (!token || token.kind !== 'personal' || token.userId !== userId) throw new NotFoundError(`token '${tokenId}' does not exist`);
    if (token.revokedAt) throw new ConflictError(`token '${tokenId}' is already revoked`);
    return markTokenRevoked(client, tokenId);
  });
}
