-- An OpenID Connect sign-in in progress: between GET /auth/oidc/login and the
-- callback. The browser alone holds the attempt's secret (an HttpOnly cookie);
-- state, nonce and PKCE verifier are derived from it, so nothing here could
-- finish a sign-in: the row only makes the attempt single-use and lets it expire.
create table oidc_login_attempt (
  -- SHA-256 of the cookie's secret, hex.
  id text primary key,
  created_at timestamptz not null,
  expires_at timestamptz not null
);

create index oidc_login_attempt_expires_at on oidc_login_attempt (expires_at);
