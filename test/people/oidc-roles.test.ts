import t, { type Test } from 'tap';
import { groupsOf, rolesFromGroups } from '../../shared/domain/people/oidc-roles.js';
import { createTestEnvironment, type TestEnvironment } from '../helpers/environment.js';
import { browse, walkToCallback } from '../helpers/oidc-sign-in.js';
import { ACCOUNTS, startOidcWorld, type OidcWorld } from './support/oidc-world.js';
import { meWithSession, peopleCounts, sessionCookieOf, ssoUser } from './support/people.js';

// FLAGSHIP_OIDC_ROLE_MAP decides each person's roles at every sign-in, from the provider's groups claim.

const [strictEnv, lenientEnv] = await Promise.all([createTestEnvironment(t, 'oidc-roles-strict'), createTestEnvironment(t, 'oidc-roles-lenient')]);
const [strict, lenient] = await Promise.all([
  startOidcWorld(t, strictEnv, { roleMap: 'ff-admins=admin,web-team=editor@web,staff=viewer,web-readers=viewer@web' }),
  startOidcWorld(t, lenientEnv, { roleMap: 'ff-admins=admin', defaultRole: 'viewer' }),
]);

async function signIn(world: OidcWorld, login: string) {
  const walk = await walkToCallback(world.api.url, world.redirectUri, login);
  const response = await browse(walk.jar, walk.callbackUrl);
  const text = await response.text();
  const cookies = response.headers.getSetCookie();
  return { status: response.status, code: /<code id="code">([^<]+)</.exec(text)?.[1], text, session: sessionCookieOf(cookies) };
}

async function refused(t: Test, env: TestEnvironment, world: OidcWorld, login: string, status: number, code: string) {
  const before = await peopleCounts(env);
  const answer = await signIn(world, login);
  t.equal(answer.status, status);
  t.equal(answer.code, code);
  t.equal(answer.session, undefined, 'no session cookie');
  t.same(await peopleCounts(env), before, 'no user or session made');
  return answer;
}

t.test('each mapped group gives its role: admin on every project, editor on project web', async (t) => {
  const alice = await signIn(strict, 'alice');
  t.equal(alice.status, 303);
  t.match(await ssoUser(strictEnv, 'alice'), { email: 'alice@example.com', name: 'Alice Admin', roles: [{ role: 'admin', project: '*' }] }, 'ff-admins and staff: admin wins on *');
  t.match((await meWithSession(strict.api.url, alice.session!)).body.roles, [{ role: 'admin', project: '*' }], 'the session has them');
  const bob = await signIn(strict, 'bob');
  t.equal(bob.status, 303);
  t.match(await ssoUser(strictEnv, 'bob'), { email: 'bob@example.com', name: 'Bob Builder', roles: [{ role: 'editor', project: 'web' }] });
  t.equal((await strict.api.request('GET', '/v1/users', { headers: { cookie: `flagship_session=${bob.session}` } })).status, 403, 'an editor is not an admin');
});

t.test('roles and profile follow the provider at each sign-in', async (t) => {
  const bob = ACCOUNTS.bob!;
  const saved = { ...bob, groups: [...bob.groups] };
  bob.groups = ['web-team', 'web-readers', 'staff'];
  bob.name = 'Robert Builder';
  try {
    t.equal((await signIn(strict, 'bob')).status, 303);
    t.match(await ssoUser(strictEnv, 'bob'), {
      name: 'Robert Builder',
      roles: [{ role: 'viewer', project: '*' }, { role: 'editor', project: 'web' }],
    }, 'editor beats viewer on web; viewer on every project added');
    bob.groups = ['marketing'];
    await refused(t, strictEnv, strict, 'bob', 403, 'oidc_no_role');
    t.match(await ssoUser(strictEnv, 'bob'), { roles: [{ role: 'viewer', project: '*' }, { role: 'editor', project: 'web' }] }, 'a refused sign-in changes nothing');
  } finally {
    Object.assign(bob, saved);
  }
});

t.test('a person whose groups map to no role is refused with a clear page and no session', async (t) => {
  const carol = await refused(t, strictEnv, strict, 'carol', 403, 'oidc_no_role');
  t.match(carol.text, /carol@example\.com/, 'the page says who signed in');
  t.match(carol.text, /none of your groups/);
  t.equal(await ssoUser(strictEnv, 'carol'), undefined);
});

t.test('an email that a local account holds is not taken over by a sign-in (a 409 page, no session)', async (t) => {
  const local = await strict.api.request('POST', '/v1/users', {
    token: strictEnv.adminSecret,
    body: { email: 'erin@example.com', name: 'Erin Local', roles: [{ role: 'viewer', project: '*' }] },
  });
  t.equal(local.status, 201, local.text);
  const erin = await refused(t, strictEnv, strict, 'erin', 409, 'conflict');
  t.match(erin.text, /erin@example\.com/);
});

t.test('with FLAGSHIP_OIDC_DEFAULT_ROLE, that person gets the default role; mapped people get theirs only', async (t) => {
  t.equal((await signIn(lenient, 'carol')).status, 303);
  t.equal((await signIn(lenient, 'alice')).status, 303);
  t.match(await ssoUser(lenientEnv, 'carol'), { roles: [{ role: 'viewer', project: '*' }] });
  t.match(await ssoUser(lenientEnv, 'alice'), { roles: [{ role: 'admin', project: '*' }] });
});

t.test('the claim: an array, a single string, or a dotted path into nested claims; exact group names', async (t) => {
  t.same(groupsOf({ groups: ['a', 1, 'b'] }, 'groups'), ['a', 'b']);
  t.same(groupsOf({ groups: 'a' }, 'groups'), ['a']);
  t.same(groupsOf({ realm_access: { roles: ['ops'] } }, 'realm_access.roles'), ['ops']);
  t.same(groupsOf({ 'https://acme.com/groups': ['x'] }, 'https://acme.com/groups'), ['x'], 'a claim whose name has dots');
  t.same(groupsOf({ realm_access: {} }, 'realm_access.roles'), []);
  t.same(groupsOf({}, 'groups'), []);
  const map = [{ group: 'ops', role: 'admin' as const, project: '*' }];
  t.same(rolesFromGroups(['/ops', 'OPS'], map, undefined), [], 'no partial or case-insensitive match');
});
