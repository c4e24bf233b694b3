import { loadConfig } from '../../../shared/config/index.js';
import { oidcSignIn } from '../../../services/api/auth/oidc-sign-in.js';
import { startTestApi, type TestApi, type TestApiOptions } from '../../helpers/api.js';
import type { TestEnvironment, Teardowns } from '../../helpers/environment.js';
import { startTestOidcProvider, type TestAccount, type TestOidcProvider } from '../../helpers/oidc-provider.js';
import { reservePort } from '../../helpers/oidc-sign-in.js';

export const CLIENT_ID = 'flagship';
export const CLIENT_SECRET = 'flagship-test-client-secret-0123456789';

/** The provider's people: alice administers, bob edits project web, carol's groups give nothing, erin's email has a local account in some tests. */
export const ACCOUNTS: Record<string, TestAccount> = {
  alice: { email: 'alice@example.com', name: 'Alice Admin', groups: ['ff-admins', 'staff'] },
  bob: { email: 'bob@example.com', name: 'Bob Builder', groups: ['web-team'] },
  carol: { email: 'carol@example.com', name: 'Carol Outsider', groups: ['marketing'] },
  erin: { email: 'erin@example.com', name: 'Erin Elsewhere', groups: ['ff-admins'] },
};

export interface OidcWorld {
  api: TestApi;
  provider: TestOidcProvider;
  redirectUri: string;
}

export interface OidcWorldOptions {
  roleMap?: string;
  defaultRole?: string;
  clock?: () => Date;
  /** Other clients the provider knows (a different app, for audience tests). */
  otherClients?: { clientId: string; clientSecret: string }[];
  api?: TestApiOptions;
  /** Seconds each request to the provider may take (5 by default). */
  providerTimeoutSeconds?: number;
  /** The provider's issuer URL given its port (a fault proxy in front of it). */
  issuerFor?: (port: number) => Promise<string>;
}

/** The test provider and an API configured for it from FLAGSHIP_OIDC_* variables, as an installation would be. */
export async function startOidcWorld(t: Teardowns, env: TestEnvironment, options: OidcWorldOptions): Promise<OidcWorld> {
  const port = await reservePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const redirectUri = `${publicUrl}/auth/oidc/callback`;
  const provider = await startTestOidcProvider(t, {
    clients: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri },
      ...(options.otherClients ?? []).map((client) => ({ ...client, redirectUri })),
    ],
    accounts: ACCOUNTS,
    issuerFor: options.issuerFor,
  });
  const config = loadConfig({
    FLAGSHIP_PUBLIC_URL: publicUrl,
    FLAGSHIP_OIDC_ISSUER: provider.issuer,
    FLAGSHIP_OIDC_CLIENT_ID: CLIENT_ID,
    FLAGSHIP_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    FLAGSHIP_OIDC_ROLE_MAP: options.roleMap ?? 'ff-admins=admin,web-team=editor@web',
    FLAGSHIP_OIDC_DEFAULT_ROLE: options.defaultRole,
  });
  const oidc = oidcSignIn(config.oidc, {
    pool: env.pool,
    logger: env.logger,
    clock: options.clock,
    providerTimeoutSeconds: options.providerTimeoutSeconds ?? 5,
  });
  const api = await startTestApi(t, env, { ...options.api, clock: options.clock, port, config: { publicUrl }, oidc });
  return { api, provider, redirectUri };
}
