import type { OidcConfig } from '../../../shared/config/oidc.js';
import type { Pool } from '../../../shared/db/pool.js';
import type { Logger } from '../../../shared/logger.js';
import { createOidcRelyingParty } from '../../../shared/domain/people/oidc-relying-party.js';
import { createOidcSignIn } from '../../../shared/domain/people/oidc-sign-in-service.js';
import { startSession, type SessionPolicy } from '../../../shared/domain/people/session-service.js';
import { upsertIdentityUser } from '../../../shared/domain/people/user-service.js';
import { setSessionCookie } from '../http/session-cookie.js';
import type { OidcRouteDeps } from './oidc-routes.js';

export interface OidcSignInParts {
  pool: Pool;
  logger: Logger;
  clock?: () => Date;
  /** Seconds one request to the provider may take; 5 by default. */
  providerTimeoutSeconds?: number;
  /** How long sessions last (FLAGSHIP_SESSION_*); the default policy without it. */
  sessionPolicy?: SessionPolicy;
}

/** What the OIDC routes need, from the configuration (undefined when single sign-on is off). */
export function oidcSignIn(config: OidcConfig | undefined, parts: OidcSignInParts): OidcRouteDeps['oidc'] {
  if (!config) return undefined;
  const { pool } = parts;
  const relyingParty = createOidcRelyingParty({
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    logger: parts.logger,
    timeoutSeconds: parts.providerTimeoutSeconds,
  });
  const secure = config.redirectUri.startsWith('https:');
  return {
    config,
    signIn: createOidcSignIn({ pool, config, relyingParty, upsertUser: (identity) => upsertIdentityUser(pool, identity), clock: parts.clock }),
    startSession: async (userId, _req, res) =>
      setSessionCookie(res, await startSession(pool, userId, { method: 'oidc', policy: parts.sessionPolicy }), { secure }),
  };
}
