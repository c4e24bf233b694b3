import { AppError } from '../../errors.js';

/**
 * A sign-in that must not go on: a forged, replayed or expired callback, an
 * ID token that fails its checks, a person without a role. No session is made.
 * `status` is 400 for a callback that cannot be trusted, 403 for a person
 * the identity provider vouched for but FlagShip does not admit.
 */
export class OidcSignInRefusedError extends AppError {
  constructor(status: 400 | 403, code: string, message: string) {
    super(status, code, message);
  }
}

/** The identity provider did not answer (discovery, token or userinfo endpoint): sign-in is a 503, nothing else is. */
export class IdentityProviderUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(503, 'identity_provider_unavailable', message);
    this.cause = cause;
  }
}
