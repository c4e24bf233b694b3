import t from 'tap';
import { ConfigError, loadConfig } from '../../shared/config/index.js';

const BASE = {
  FLAGSHIP_PUBLIC_URL: 'https://flags.example.com',
  FLAGSHIP_OIDC_ISSUER: 'https://sso.example.com/realms/acme',
  FLAGSHIP_OIDC_CLIENT_ID: 'flagship',
  FLAGSHIP_OIDC_CLIENT_SECRET: 'a-client-secret',
  FLAGSHIP_OIDC_ROLE_MAP: 'ff-admins=admin, web=editor@web ,everyone=viewer',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

t.test('a complete configuration: role map parsed, callback from the public URL, groups claim by default', async (t) => {
  const { oidc } = loadConfig(BASE);
  t.same(oidc, {
    issuer: 'https://sso.example.com/realms/acme',
    clientId: 'flagship',
    clientSecret: 'a-client-secret',
    roleClaim: 'groups',
    roleMap: [
      { group: 'ff-admins', role: 'admin', project: '*' },
      { group: 'web', role: 'editor', project: 'web' },
      { group: 'everyone', role: 'viewer', project: '*' },
    ],
    defaultRole: undefined,
    redirectUri: 'https://flags.example.com/auth/oidc/callback',
  });
  t.ok(Object.isFrozen(oidc));
  t.equal(loadConfig({ ...BASE, FLAGSHIP_PUBLIC_URL: 'https://example.com/flags/' }).oidc?.redirectUri, 'https://example.com/flags/auth/oidc/callback');
  t.same(loadConfig({ ...BASE, FLAGSHIP_OIDC_DEFAULT_ROLE: 'viewer@web' }).oidc?.defaultRole, { role: 'viewer', project: 'web' });
  t.equal(loadConfig({ ...BASE, FLAGSHIP_OIDC_ROLE_CLAIM: 'realm_access.roles' }).oidc?.roleClaim, 'realm_access.roles');
  t.equal(loadConfig({ ...BASE, FLAGSHIP_OIDC_CLIENT_SECRET: '' }).oidc?.clientSecret, undefined, 'a public client');
  t.equal(loadConfig({}).oidc, undefined, 'no issuer: no single sign-on');
});

t.test('an http:// issuer only on loopback, else a clear startup error', async (t) => {
  for (const issuer of ['http://127.0.0.1:8081', 'http://localhost:8080/realms/dev', 'http://[::1]:9000', 'http://127.5.6.7']) {
    t.equal(loadConfig({ ...BASE, FLAGSHIP_OIDC_ISSUER: issuer }).oidc?.issuer, issuer, `${issuer} accepted`);
  }
  for (const issuer of ['http://sso.example.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.nip.io', 'http://[::ffff:10.0.0.1]']) {
    t.match(problemsOf({ ...BASE, FLAGSHIP_OIDC_ISSUER: issuer }), [/^FLAGSHIP_OIDC_ISSUER: must start with https:\/\/ \(http:\/\/ is accepted only on a loopback address/], `${issuer} refused`);
  }
  t.match(problemsOf({ ...BASE, FLAGSHIP_OIDC_ISSUER: 'ftp://sso.example.com' }), ['FLAGSHIP_OIDC_ISSUER: must be a URL starting with https://']);
  t.match(problemsOf({ ...BASE, FLAGSHIP_OIDC_ISSUER: 'sso.example.com' }), ['FLAGSHIP_OIDC_ISSUER: must be a URL starting with https://']);
});

t.test('a role map entry that is not group=role[@project] is named', async (t) => {
  t.same(problemsOf({ ...BASE, FLAGSHIP_OIDC_ROLE_MAP: 'ff-admins=owner,web=editor@,=viewer,lonely,x=viewer@a@b,y=viewer@Web' }), [
    "FLAGSHIP_OIDC_ROLE_MAP: 'ff-admins=owner': 'owner' is not a role (viewer, editor or admin)",
    "FLAGSHIP_OIDC_ROLE_MAP: 'web=editor@': '' is not a project key (lowercase letters, digits, _ and -, up to 50; or * for every project)",
    "FLAGSHIP_OIDC_ROLE_MAP: '=viewer' is not group=role or group=role@project",
    "FLAGSHIP_OIDC_ROLE_MAP: 'lonely' is not group=role or group=role@project",
    "FLAGSHIP_OIDC_ROLE_MAP: 'x=viewer@a@b': 'a' is not a project key (lowercase letters, digits, _ and -, up to 50; or * for every project)",
    "FLAGSHIP_OIDC_ROLE_MAP: 'y=viewer@Web': 'Web' is not a project key (lowercase letters, digits, _ and -, up to 50; or * for every project)",
  ]);
  t.match(problemsOf({ ...BASE, FLAGSHIP_OIDC_DEFAULT_ROLE: 'superuser' }), [/^FLAGSHIP_OIDC_DEFAULT_ROLE: 'superuser' is not a role/]);
  // A group name may hold '=' (the role is after the last one).
  t.same(loadConfig({ ...BASE, FLAGSHIP_OIDC_ROLE_MAP: 'team=ops=admin' }).oidc?.roleMap, [{ group: 'team=ops', role: 'admin', project: '*' }]);
});

t.test('what OIDC needs together is named when missing', async (t) => {
  const { FLAGSHIP_OIDC_CLIENT_ID: _id, ...noClient } = BASE;
  t.match(problemsOf(noClient), [/^FLAGSHIP_OIDC_CLIENT_ID: is required with FLAGSHIP_OIDC_ISSUER/]);
  const { FLAGSHIP_PUBLIC_URL: _url, ...noPublicUrl } = BASE;
  t.match(problemsOf(noPublicUrl), [/^FLAGSHIP_PUBLIC_URL: is required with FLAGSHIP_OIDC_ISSUER/]);
  const { FLAGSHIP_OIDC_ROLE_MAP: _map, ...noMap } = BASE;
  t.match(problemsOf(noMap), [/^FLAGSHIP_OIDC_ROLE_MAP: is required with FLAGSHIP_OIDC_ISSUER unless FLAGSHIP_OIDC_DEFAULT_ROLE/]);
  t.equal(loadConfig({ ...noMap, FLAGSHIP_OIDC_DEFAULT_ROLE: 'viewer' }).oidc?.roleMap.length, 0, 'a default role alone is enough');
  const { FLAGSHIP_OIDC_ISSUER: _issuer, ...noIssuer } = BASE;
  t.match(problemsOf(noIssuer), [
    /^FLAGSHIP_OIDC_CLIENT_ID: is set but FLAGSHIP_OIDC_ISSUER is not/,
    /^FLAGSHIP_OIDC_CLIENT_SECRET: is set but FLAGSHIP_OIDC_ISSUER is not/,
    /^FLAGSHIP_OIDC_ROLE_MAP: is set but FLAGSHIP_OIDC_ISSUER is not/,
  ]);
});
