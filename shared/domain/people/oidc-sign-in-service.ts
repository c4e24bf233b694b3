import * as client from 'openid-client';
import type { OidcConfig, OidcRoleGrant } from '../../config/oidc.js';
import type { Pool } from '../../db/pool.js';
import { OidcSignInRefusedError } from './oidc-errors.js';
import { deleteExpiredLoginAttempts, insertLoginAttempt, takeLoginAttempt } from './oidc-login-attempt-repository.js';
import { attemptId, isAttemptSecret, loginChecks, newAttemptSecret } from './oidc-login-attempts.js';
import type { OidcRelyingParty, VerifiedClaims } from './oidc-relying-party.js';
import { groupsOf, rolesFromGroups } from './oidc-roles.js';

/** Who the identity provider says signed in, with the roles FLAGSHIP_OIDC_ROLE_MAP gives them. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
  name: string;
  roles: OidcRoleGrant[];
}

/** Creates the user at their first sign-in and updates email, name and roles at each one after; answers the user's id. */
export type UpsertOidcUser = (identity: OidcIdentity) => Promise<{ id: string }>;

/** How long a person has between leaving for the identity provider and coming back. */
export const LOGIN_ATTEMPT_TTL_MS = 10 * 60 * 1000;

export interface OidcSignIn {
  /** Starts an attempt: the secret goes in the browser's cookie, the browser goes to `url`. */
  begin(): Promise<{ secret: string; url: URL; expiresAt: Date }>;
  /** Finishes the attempt this browser's cookie names with the provider's answer; refuses (no user touched) when anything is off. */
  finish(secret: string | undefined, callbackUrl: URL): Promise<{ userId: string; identity: OidcIdentity }>;
}

export interface OidcSignInOptions {
  pool: Pool;
  config: OidcConfig;
  relyingParty: OidcRelyingParty;
  upsertUser: UpsertOidcUser;
  clock?: () => Date;
}

function identityOf(claims: VerifiedClaims, config: OidcConfig): OidcIdentity {
  const email = typeof claims.email === 'string' && claims.email.includes('@') ? claims.email : undefined;
  if (!email) {
    throw new OidcSignInRefusedError(403, 'oidc_no_email', 'The identity provider did not say your email address (the `email` claim, scope `email`); ask your administrator');
  }
  const roles = rolesFromGroups(groupsOf(claims, config.roleClaim), config.roleMap, config.defaultRole);
  if (roles.length === 0) {
    throw new OidcSignInRefusedError(
      403,
      'oidc_no_role',
      `You signed in as ${email}, but none of your groups (claim \`${config.roleClaim}\`) gives a role in FlagShip; ask your administrator to add you to a group FLAGSHIP_OIDC_ROLE_MAP names`,
    );
  }
  const name = [claims.name, claims.preferred_username].find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return { issuer: claims.iss, subject: claims.sub, email, name: name?.trim() ?? email, roles };
}

/** OpenID Connect sign-in: login attempts (single use, expiring), the provider's answer checked, roles mapped, the user upserted. */
export function createOidcSignIn(options: OidcSignInOptions): OidcSignIn {
  const { pool, config, relyingParty } = options;
  const now = options.clock ?? (() => new Date());
  return {
    async begin() {
      const secret = newAttemptSecret();
      const checks = loginChecks(secret);
      // The provider first: while it is down, no attempt is written that could never finish.
      const url = await relyingParty.authorizationUrl(checks, await client.calculatePKCECodeChallenge(checks.codeVerifier));
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + LOGIN_ATTEMPT_TTL_MS);
      // Abandoned attempts go when new ones come; an hour's grace keeps "expired" distinguishable from "unknown".
      await deleteExpiredLoginAttempts(pool, new Date(createdAt.getTime() - 60 * 60 * 1000));
      await insertLoginAttempt(pool, attemptId(secret), createdAt, expiresAt);
      return { secret, url, expiresAt };
    },

    async finish(secret, callbackUrl) {
      if (secret === undefined || !isAttemptSecret(secret)) {
        throw new OidcSignInRefusedError(400, 'oidc_no_attempt', 'No sign-in was started in this browser (or it was too long ago): start again from the sign-in page');
      }
      const attempt = await takeLoginAttempt(pool, attemptId(secret));
      if (!attempt) {
        throw new OidcSignInRefusedError(400, 'oidc_attempt_used', 'This sign-in answer was used already (or the sign-in was never started here): start again from the sign-in page');
      }
      if (attempt.expiresAt.getTime() <= now().getTime()) {
        throw new OidcSignInRefusedError(400, 'oidc_attempt_expired', 'This sign-in took too long and has expired: start again from the sign-in page');
      }
      const claims = await relyingParty.completeSignIn(callbackUrl, loginChecks(secret));
      const identity = identityOf(claims, config);
      const user = await options.upsertUser(identity);
      return { userId: user.id, identity };
    },
  };
}
