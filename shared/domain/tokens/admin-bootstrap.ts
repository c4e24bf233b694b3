import {
  CONFIGURED_ADMIN_TOKEN_NAME,
  createToken,
  findTokenBySecret,
  hasLiveAdminToken,
  insertAdminTokenWithSecret,
  lockAdminBootstrap,
  revokeAdminTokensNamed,
} from './token-repository.js';
import type { Queryable } from '../../db/pool.js';
import type { Token } from '../../schemas/tokens.js';

/** What making sure an admin can get in did; shared/bootstrap.ts logs it. */
export interface AdminBootstrap {
  /** FLAGSHIP_ADMIN_TOKEN's value was new: registered now. */
  registered?: Token;
  /** Earlier values of FLAGSHIP_ADMIN_TOKEN, revoked now that another one is configured. */
  replaced: Token[];
  /** FLAGSHIP_ADMIN_TOKEN's value was revoked (through the API) and stays revoked: when. */
  configuredRevokedAt?: string;
  /** The secret of an admin token created because no live one existed, to be shown once. */
  createdSecret?: string;
}

/**
 * Makes sure an admin can get in (run inside withTransaction; the advisory
 * lock keeps two processes starting together from racing).
 *
 * With FLAGSHIP_ADMIN_TOKEN: its value is the one admin token of that name.
 * A new value is registered and every earlier one revoked, so rotating the
 * variable rotates the secret. A value that was revoked stays revoked: a
 * restart with a leaked secret must not bring it back (the caller logs how to
 * rotate). Without the variable, or when nothing else would let an admin in,
 * an admin token is created and its secret returned, to be printed once.
 */
export async function ensureAdminToken(client: Queryable, configuredSecret: string | undefined): Promise<AdminBootstrap> {
  await lockAdminBootstrap(client);
  const result: AdminBootstrap = { replaced: [] };
  if (configuredSecret !== undefined) {
    let configured = await findTokenBySecret(client, configuredSecret);
    if (configured && configured.kind !== 'admin') {
      throw new Error(`FLAGSHIP_ADMIN_TOKEN is the secret of ${configured.kind} token '${configured.name}', not of an admin token: choose another secret`);
    }
    if (!configured) {
      configured = await insertAdminTokenWithSecret(client, CONFIGURED_ADMIN_TOKEN_NAME, configuredSecret);
      result.registered = configured;
    }
    if (configured.revokedAt) {
      result.configuredRevokedAt = configured.revokedAt;
    } else {
      result.replaced = await revokeAdminTokensNamed(client, CONFIGURED_ADMIN_TOKEN_NAME, configured.id);
    }
  }
  // The revoke route never lets the last admin token go; this covers one revoked in the database itself.
  if (!(await hasLiveAdminToken(client))) {
    result.createdSecret = (await createToken(client, { name: 'first admin', kind: 'admin' })).secret;
  }
  return result;
}
