import t from 'tap';
import { actorLabel } from '../../shared/domain/people/actors.js';
import type { Actor, Principal } from '../../shared/domain/people/principal.js';
import { hasRole, requireRole } from '../../shared/domain/people/principal.js';
import { startSession } from '../../shared/domain/people/session-service.js';
import { ForbiddenError } from '../../shared/errors.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

/*
 * The people foundation: roles per route for sessions and personal tokens,
 * the CSRF rule for cookies, and the audit actor as an object naming who.
 */

const env = await createTestEnvironment(t, 'people-roles');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

const SESSION = 'flagship_session';

async function userWithSession(email: string, role: 'viewer' | 'editor' | 'admin') {
  const created = await request('POST', '/v1/users', { token: admin, body: { email, name: email.split('@')[0], roles: [{ role, project: '*' }] } });
  if (created.status !== 201) throw new Error(`user not created: ${created.text}`);
  const session = await startSession(env.pool, created.body.id, { method: 'password' });
  const cookie = `${SESSION}=${session.cookieValue}`;
  const me = await request('GET', '/v1/me', { headers: { cookie } });
  return { id: created.body.id as string, cookie, csrf: me.body.csrfToken as string, me };
}

t.test('hasRole: admin includes editor includes viewer; a project grant is not an installation grant', async (t) => {
  const of = (role: 'viewer' | 'editor' | 'admin', project: string): Principal => ({
    kind: 'user',
    actor: { type: 'user', id: 'u', name: 'u' },
    userId: 'u',
    roles: [{ role, project }],
  });
  t.ok(hasRole(of('admin', '*'), 'viewer'));
  t.ok(hasRole(of('editor', '*'), 'editor'));
  t.notOk(hasRole(of('editor', '*'), 'admin'));
  t.notOk(hasRole(of('viewer', '*'), 'editor'));
  t.ok(hasRole(of('editor', 'web'), 'editor', 'web'), 'on its project');
  t.notOk(hasRole(of('editor', 'web'), 'editor', 'api'), 'not on another');
  t.notOk(hasRole(of('admin', 'web'), 'viewer'), 'not installation-wide');
  t.ok(hasRole(of('viewer', '*'), 'viewer', 'web'), "'*' covers every project");
  t.throws(() => requireRole(of('viewer', '*'), 'editor'), ForbiddenError);
});

t.test('the actor label in TypeScript is the one SQL derives (updatedBy)', async (t) => {
  const actors: Actor[] = [
    { type: 'system', id: 'system', name: 'system' },
    { type: 'token', id: 'a', name: 'ci bot' },
    { type: 'ramp', id: '6f1c2b9e-3d4a-4e5f-8a7b-0c1d2e3f4a5b', name: 'ramp' },
    { type: 'user', id: 'u', name: 'Ana', email: 'ana@example.com' },
    { type: 'user', id: 'u', name: 'Ana' },
    { type: 'schedule', id: 's', name: 'nightly' },
    { type: 'change-request', id: 'c', name: 'CR 12' },
  ];
  for (const actor of actors) {
    const { rows } = await env.pool.query<{ label: string }>('select flagship_actor_label($1::jsonb) as label', [JSON.stringify(actor)]);
    t.equal(actorLabel(actor), rows[0]!.label, JSON.stringify(actor));
  }
});

t.test('a session takes each route its role allows, and no other', async (t) => {
  await request('POST', '/v1/flags', { token: admin, body: { key: 'roles_flag' } });
  const viewer = await userWithSession('vera@example.com', 'viewer');
  const editor = await userWithSession('ed@example.com', 'editor');
  t.match(viewer.me.body, { email: 'vera@example.com', kind: 'user', roles: [{ role: 'viewer', project: '*' }], csrfToken: /\S{20,}/ });

  const headers = (who: { cookie: string; csrf: string }) => ({ cookie: who.cookie, 'x-flagship-csrf': who.csrf });
  t.equal((await request('GET', '/v1/flags/roles_flag', { headers: { cookie: viewer.cookie } })).status, 200, 'a viewer reads');
  const refused = await request('PATCH', '/v1/flags/roles_flag/environments/prod', { headers: headers(viewer), body: { enabled: true } });
  t.equal(refused.status, 403, 'a viewer does not change flags');
  t.match(refused.body.error, { code: 'forbidden', message: /editor role/ });
  t.equal((await request('GET', '/v1/tokens', { headers: { cookie: editor.cookie } })).status, 403, 'an editor does not manage tokens');
  t.equal((await request('GET', '/v1/users', { headers: { cookie: editor.cookie } })).status, 403, 'nor users');

  const changed = await request('PATCH', '/v1/flags/roles_flag/environments/prod', { headers: headers(editor), body: { enabled: true } });
  t.equal(changed.status, 200, 'an editor changes flags');
  t.equal(changed.body.updatedBy, 'user:ed@example.com', 'updatedBy: derived from the actor');
  const events = await request('GET', '/v1/events?environment=prod&flag=roles_flag', { token: admin });
  t.same(events.body.events.at(-1).actor, { type: 'user', id: editor.id, name: 'ed', email: 'ed@example.com' }, 'the audit log names the person');
});

t.test('a change with a session cookie needs the CSRF header or the public Origin; bearer tokens need neither', async (t) => {
  const editor = await userWithSession('csrf@example.com', 'editor');
  const patch = (headers: Record<string, string>) =>
    request('PATCH', '/v1/flags/roles_flag/environments/dev', { headers, body: { rollout: 40 } });
  const none = await patch({ cookie: editor.cookie });
  t.equal(none.status, 403);
  t.equal(none.body.error.code, 'csrf_failed');
  const wrong = await patch({ cookie: editor.cookie, 'x-flagship-csrf': 'forged' });
  t.equal(wrong.body.error.code, 'csrf_failed', 'a forged token');
  const other = await userWithSession('other@example.com', 'editor');
  t.equal((await patch({ cookie: editor.cookie, 'x-flagship-csrf': other.csrf })).body.error?.code, 'csrf_failed', "another session's token");
  t.equal((await patch({ cookie: editor.cookie, origin: 'https://evil.example' })).body.error?.code, 'csrf_failed', 'a foreign Origin');
  t.equal((await patch({ cookie: editor.cookie, 'x-flagship-csrf': editor.csrf })).status, 200, 'with the header');
  t.equal((await request('GET', '/v1/flags/roles_flag', { headers: { cookie: editor.cookie } })).status, 200, 'a GET needs none');
  t.equal((await request('PATCH', '/v1/flags/roles_flag/environments/dev', { token: admin, body: { rollout: 41 } })).status, 200, 'a bearer token needs none');
});

t.test('personal tokens act as their user, with the user’s roles now, and go with the user', async (t) => {
  const person = await userWithSession('pat@example.com', 'viewer');
  const created = await request('POST', '/v1/me/tokens', {
    headers: { cookie: person.cookie, 'x-flagship-csrf': person.csrf },
    body: { name: 'laptop' },
  });
  t.equal(created.status, 201);
  t.match(created.body.token, { kind: 'personal', userId: person.id, name: 'laptop' });
  const secret = created.body.secret as string;
  t.match((await request('GET', '/v1/me', { token: secret })).body, { id: person.id, kind: 'user', csrfToken: null });
  t.equal((await request('PATCH', '/v1/flags/roles_flag/environments/dev', { token: secret, body: { rollout: 5 } })).status, 403, 'a viewer’s token cannot change');
  t.equal((await request('GET', '/v1/client/flags', { token: secret })).status, 403, 'nor read SDK routes');

  await request('PATCH', `/v1/users/${person.id}`, { token: admin, body: { roles: [{ role: 'editor', project: '*' }] } });
  const promoted = await request('PATCH', '/v1/flags/roles_flag/environments/dev', { token: secret, body: { rollout: 6 } });
  t.equal(promoted.status, 200, 'new roles count from the next request');
  t.match(promoted.body, { updatedBy: 'user:pat@example.com' });
  t.same((await request('GET', '/v1/me/tokens', { token: secret })).body.tokens.map((token: { name: string }) => token.name), ['laptop']);
  t.equal((await request('POST', '/v1/me/tokens', { token: admin, body: { name: 'x' } })).status, 403, 'an admin token has none');

  const removed = await request('DELETE', `/v1/users/${person.id}`, { token: admin });
  t.equal(removed.status, 200);
  t.equal((await request('GET', '/v1/me', { token: secret })).status, 401, 'the personal token is gone');
  t.equal((await request('GET', '/v1/me', { headers: { cookie: person.cookie } })).status, 401, 'the session is gone');
  const events = await request('GET', '/v1/events?environment=dev&flag=roles_flag', { token: admin });
  t.match(events.body.events.at(-1).actor, { type: 'user', id: person.id, email: 'pat@example.com' }, 'their changes keep their name');
});

t.test('personal tokens are seen and revoked by their user only: not in /v1/tokens, not by another user', async (t) => {
  const owner = await userWithSession('token-owner@example.com', 'admin');
  const other = await userWithSession('token-other@example.com', 'admin');
  const created = await request('POST', '/v1/me/tokens', { headers: { cookie: owner.cookie, 'x-flagship-csrf': owner.csrf }, body: { name: 'owner laptop' } });
  t.equal(created.status, 201);
  const id = created.body.token.id as string;

  const listed = await request('GET', '/v1/tokens', { token: admin });
  t.equal(listed.status, 200);
  t.notOk(listed.body.tokens.some((token: { kind: string }) => token.kind === 'personal'), 'no personal token among the installation’s tokens');
  t.ok(listed.body.tokens.some((token: { kind: string }) => token.kind === 'admin'), 'the admin tokens are there');
  t.same((await request('GET', '/v1/me/tokens', { headers: { cookie: other.cookie } })).body.tokens, [], 'another user sees none of them');
  t.equal((await request('DELETE', `/v1/tokens/${id}`, { token: admin })).status, 404, 'an admin token cannot revoke it through /v1/tokens');
  t.equal((await request('DELETE', `/v1/me/tokens/${id}`, { headers: { cookie: other.cookie, 'x-flagship-csrf': other.csrf } })).status, 404, 'nor another user');
  t.equal((await request('GET', '/v1/me', { token: created.body.secret })).status, 200, 'it still works');
  t.equal((await request('DELETE', `/v1/me/tokens/${id}`, { headers: { cookie: owner.cookie, 'x-flagship-csrf': owner.csrf } })).status, 200, 'its user revokes it');
  t.equal((await request('GET', '/v1/me', { token: created.body.secret })).status, 401);
});

t.test('personal tokens: bad input is a 400 naming the field, nothing stored; an expiry ends the token', async (t) => {
  const person = await userWithSession('bad-input@example.com', 'viewer');
  const headers = { cookie: person.cookie, 'x-flagship-csrf': person.csrf };
  const count = async () => (await env.pool.query<{ n: number }>(`select count(*)::int as n from api_token where user_id = $1`, [person.id])).rows[0]!.n;
  const malformed = await request('POST', '/v1/me/tokens', { headers, body: { name: '', expiresAt: 'tomorrow' } });
  t.equal(malformed.status, 400);
  t.same(malformed.body.error.details.map((d: { path: string[] }) => d.path.join('.')).sort(), ['expiresAt', 'name']);
  const past = await request('POST', '/v1/me/tokens', { headers, body: { name: 'old', expiresAt: '2020-01-01T00:00:00Z' } });
  t.equal(past.status, 400);
  t.same(past.body.error.details.map((d: { path: string[] }) => d.path), [['expiresAt']]);
  t.equal(await count(), 0, 'nothing stored');
  const expiresAt = Date.now() + 1500;
  const soon = await request('POST', '/v1/me/tokens', { headers, body: { name: 'soon', expiresAt: new Date(expiresAt).toISOString() } });
  t.equal(soon.status, 201);
  t.equal((await request('GET', '/v1/me', { token: soon.body.secret })).status, 200, 'remembered by the token cache');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 20));
  t.equal((await request('GET', '/v1/me', { token: soon.body.secret })).status, 401, 'the first request after its expiry is refused');
});

t.test('users: validation and conflicts', async (t) => {
  const bad = await request('POST', '/v1/users', { token: admin, body: { email: 'not-an-email', name: '', roles: [{ role: 'owner' }] } });
  t.equal(bad.status, 400);
  t.same(bad.body.error.details.map((d: { path: string[] }) => d.path.join('.')).sort(), ['email', 'name', 'roles.0.role']);
  const twice = await request('POST', '/v1/users', { token: admin, body: { email: 'Dup@Example.com', name: 'Dup', roles: [{ role: 'viewer', project: '*' }, { role: 'editor', project: '*' }] } });
  t.equal(twice.status, 400, 'one role per project');
  t.equal((await request('POST', '/v1/users', { token: admin, body: { email: 'dup@example.com', name: 'Dup' } })).status, 201);
  const conflict = await request('POST', '/v1/users', { token: admin, body: { email: 'DUP@example.com', name: 'Dup' } });
  t.equal(conflict.status, 409, 'emails are unique whatever their case');
  const weak = await request('POST', '/v1/users', { token: admin, body: { email: 'weak@example.com', name: 'W', password: 'short' } });
  t.equal(weak.status, 400);
  t.same(weak.body.error.details[0].path, ['password']);
  const users = await request('GET', '/v1/users', { token: admin });
  t.notMatch(users.text, /argon2|password_hash|passwordHash/, 'never a hash');
});
