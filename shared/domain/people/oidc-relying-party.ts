import * as client from 'openid-client';
import type { Logger } from '../../logger.js';
import { IdentityProviderUnavailableError, OidcSignInRefusedError } from './oidc-errors.js';

/** What the browser's login attempt proves it started (derived from its cookie: oidc-login-attempts.ts). */
export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The ID token's claims merged with the userinfo endpoint's (same subject, checked by openid-client). */
export type VerifiedClaims = Record<string, unknown> & { sub: string; iss: string };

export interface OidcRelyingParty {
  /** Where to send the browser: the provider's authorization endpoint with PKCE, state and nonce. */
  authorizationUrl(checks: LoginChecks, codeChallenge: string): Promise<URL>;
  /** Checks the callback (state, iss), redeems the code (PKCE), checks the ID token (iss, aud, nonce, expiry, signature). */
  completeSignIn(callbackUrl: URL, checks: LoginChecks): Promise<VerifiedClaims>;
}

export interface OidcRelyingPartyOptions {
  issuer: string;
  clientId: string;
  /** Absent: a public client, authenticated by PKCE alone. */
  clientSecret: string | undefined;
  redirectUri: string;
  logger: Logger;
  /** Seconds one request to the provider may take (discovery, token, keys, userinfo). */
  timeoutSeconds?: number;
  /** After a failed discovery, how long requests are answered 503 at once before discovery is tried again. */
  rediscoverAfterMs?: number;
}

const SCOPE = 'openid email profile';

/** True when openid-client failed to reach the provider, not when the provider answered something wrong. */
function isProviderUnreachable(error: unknown): boolean {
  if (error instanceof DOMException) return error.name === 'TimeoutError' || error.name === 'AbortError';
  if (error instanceof TypeError) return error.message === 'fetch failed';
  if (error instanceof client.ResponseBodyError) return error.status >= 500;
  if (error instanceof client.ClientError) {
    const cause = error.cause as { status?: unknown } | undefined;
    if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && typeof cause?.status === 'number' && cause.status >= 500) return true;
    return isProviderUnreachable(cause);
  }
  return false;
}

/** The library's most specific words: ClientError wraps oauth4webapi's error, which says which check failed. */
function reasonOf(error: Error): string {
  const cause = error.cause;
  return cause instanceof Error && cause.message && cause.message !== error.message ? `${error.message}: ${cause.message}` : error.message;
}

/** What a failed exchange means for the person signing in; never anything from the request itself (codes stay out of messages). */
function refusalOf(error: unknown): Error {
  if (isProviderUnreachable(error)) {
    return new IdentityProviderUnavailableError('The identity provider did not answer; sign-in is unavailable, try again shortly', error);
  }
  if (error instanceof client.AuthorizationResponseError) {
    return new OidcSignInRefusedError(403, 'oidc_provider_refused', `The identity provider refused the sign-in (${error.error}${error.error_description ? `: ${error.error_description}` : ''})`);
  }
  if (error instanceof client.ResponseBodyError) {
    return new OidcSignInRefusedError(
      400,
      'oidc_code_refused',
      `The identity provider refused the authorization code (${error.error}): it was used already, has expired, or was issued for another sign-in`,
    );
  }
  if (error instanceof client.ClientError) {
    return new OidcSignInRefusedError(400, 'oidc_callback_refused', `The sign-in answer failed its checks (${reasonOf(error)})`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The relying party, on openid-client: discovery happens when a sign-in
 * starts (never at process start), so a provider that is down makes sign-in a
 * 503 while the rest of FlagShip starts and works; after a failure, sign-ins
 * are answered 503 at once for `rediscoverAfterMs`, then discovery is tried again.
 */
export function createOidcRelyingParty(options: OidcRelyingPartyOptions): OidcRelyingParty {
  const rediscoverAfterMs = options.rediscoverAfterMs ?? 1000;
  const timeout = options.timeoutSeconds ?? 5;
  let discovered: client.Configuration | undefined;
  let discovering: Promise<client.Configuration> | undefined;
  let lastFailure: { at: number; error: Error } | undefined;

  async function discover(): Promise<client.Configuration> {
    const issuer = new URL(options.issuer);
    const auth = options.clientSecret === undefined ? client.None() : client.ClientSecretBasic(options.clientSecret);
    const execute = [client.enableNonRepudiationChecks];
    // Config validation admits http:// only on loopback addresses.
    if (issuer.protocol === 'http:') execute.push(client.allowInsecureRequests);
    try {
      return await client.discovery(issuer, options.clientId, { redirect_uris: [options.redirectUri] }, auth, { execute, timeout });
    } catch (error) {
      const unreachable = isProviderUnreachable(error);
      options.logger[unreachable ? 'warn' : 'error'](
        { err: error, issuer: options.issuer },
        unreachable ? 'OpenID Connect discovery: the identity provider is unreachable' : 'OpenID Connect discovery failed: check FLAGSHIP_OIDC_ISSUER',
      );
      throw new IdentityProviderUnavailableError(
        unreachable
          ? 'The identity provider did not answer; sign-in is unavailable, try again shortly'
          : 'The identity provider\'s configuration could not be read; sign-in is unavailable (the server log says why)',
        error,
      );
    }
  }

  /** The provider's metadata; `fresh` asks the provider again (a sign-in starting: is it there, have its endpoints moved?). */
  function configuration(fresh: boolean): Promise<client.Configuration> {
    if (discovered && !fresh) return Promise.resolve(discovered);
    if (discovering) return discovering;
    if (lastFailure && Date.now() - lastFailure.at < rediscoverAfterMs) return Promise.reject(lastFailure.error);
    discovering = discover().then(
      (found) => {
        discovered = found;
        lastFailure = undefined;
        return found;
      },
      (error: Error) => {
        lastFailure = { at: Date.now(), error };
        throw error;
      },
    ).finally(() => {
      discovering = undefined;
    });
    return discovering;
  }

  return {
    async authorizationUrl(checks, codeChallenge) {
      // Asked afresh at each sign-in: a provider that is down is a 503 here, not an error page in the browser at its door.
      const config = await configuration(true);
      return client.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: SCOPE,
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      });
    },

    async completeSignIn(callbackUrl, checks) {
      const config = await configuration(false);
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims()!;
        // Many providers put profile claims (and groups) in userinfo only, when an access token comes too.
        const userInfo = config.serverMetadata().userinfo_endpoint
          ? await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
          : {};
        return { ...idToken, ...userInfo, iss: idToken.iss, sub: idToken.sub } as VerifiedClaims;
      } catch (error) {
        throw refusalOf(error);
      }
    },
  };
}
