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
import { requireTokenProjects } from '../projects/project-service.js';
import { unleashFormOfSecret } from './unleash-secret.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { CreateToken, Token } from '../../schemas/tokens.js';

export { listTokens };

/**
 * Creates a token; its secret is in the answer only (FlagShip keeps its
 * hash), for sdk and frontend tokens also in Unleash's format.
 */
export async function createToken(pool: Pool, input: CreateToken): Promise<{ token: Token; secret: string; unleashSecret?: string }> {
  return withTransaction(pool, async (client) => {
    if (input.kind === 'admin') return insertToken(client, input);
    await requireEnvironment(client, input.environment);
    if (input.projects) await requireTokenProjects(client, input.projects);
    const created = await insertToken(client, input);
    return { ...created, unleashSecret: unleashFormOfSecret(created.token, created.secret) };
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
    // A personal token is not among /v1/tokens: its user revokes it (DELETE /v1/me/tokens/{id}), or removing the user does.
    if (!token || token.kind === 'personal') throw new NotFoundError(`token '${id}' does not exist`);
    if (token.revokedAt) throw new ConflictError(`token '${id}' is already revoked`);
    if (token.kind === 'admin' && (await countLiveAdminTokens(client)) <= 1) {
      throw new ConflictError('this is the last live admin token; create another admin token before revoking it');
    }
    return markTokenRevoked(client, id);
  });
}
