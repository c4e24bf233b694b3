import { requireEnvironment } from '../environments/environment-repository.js';
import type { Pool } from '../../db/pool.js';
import {
  countLiveAdminTokens,
  createToken as insertToken,
  findTokenForUpdate,
  listTokens,
  lockTokenRevocations,
  markTokenRevoked,
} from './token-repository.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { CreateToken, Token } from '../../schemas/tokens.js';

export { listTokens };

/** Creates a token; its secret is in the answer only (FlagShip keeps its hash). */
export async function createToken(pool: Pool, input: CreateToken): Promise<{ token: Token; secret: string }> {
  return withTransaction(pool, async (client) => {
    if (input.kind !== 'admin') await requireEnvironment(client, input.environment);
    return insertToken(client, input);
  });
}

/**
 * Revokes a token. The last live admin token cannot go: nobody could
 * administer FlagShip after it. Revocations are serialised, so two at once
 * cannot both believe another admin remains.
 */
export async function revokeToken(pool: Pool, id: string): Promise<Token> {
  return withTransaction(pool, async (client) => {
    await lockTokenRevocations(client);
    const token = await findTokenForUpdate(client, id);
    if (!token) throw new NotFoundError(`token '${id}' does not exist`);
    if (token.revokedAt) throw new ConflictError(`token '${id}' is already revoked`);
    if (token.kind === 'admin' && (await countLiveAdminTokens(client)) <= 1) {
      throw new ConflictError('this is the last live admin token; create another admin token before revoking it');
    }
    return markTokenRevoked(client, id);
  });
}
