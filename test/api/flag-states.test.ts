import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { dumpDatabase } from './support/database-dump.js';

const env = await createTestEnvironment(t, 'api-flag-states');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

const created = await request('POST', '/v1/flags', { token: admin, body: { key: 'checkout', environments: { prod: { rollout: 10 } } } });
t.equal(created.status, 201);

t.test('one state: its shape and its ETag', async (t) => {
  const state = await request('GET', '/v1/flags/checkout/environments/prod', { token: admin });
  t.equal(state.status, 200);
  t.same(
    Object.keys(state.body).sort(),
    ['archived', 'dependencies', 'enabled', 'environment', 'id', 'key', 'project', 'rollout', 'strategies', 'updatedAt', 'updatedBy', 'variants', 'version'].sort(),
  );
  t.match(state.body, {
    id: created.body.id,
    key: 'checkout',
    environment: 'prod',
    enabled: false,
    rollout: 10,
    version: 1,
    updatedBy: 'token:FLAGSHIP_ADMIN_TOKEN',
    variants: [],
    dependencies: [],
  });
  t.match(state.body.strategies, [
    { name: 'flexibleRollout', parameters: { rollout: '10', stickiness: 'default', groupId: 'checkout' }, constraints: [], segments: [] },
  ]);
  t.equal(state.body.strategies.length, 1, 'the simple case: one flexibleRollout strategy');
  t.equal(state.headers.get('etag'), '"1"');
});

t.test('a missing flag or environment is a 404 naming which', async (t) => {
  const noFlag = await request('GET', '/v1/flags/nope/environments/prod', { token: admin });
  t.equal(noFlag.status, 404);
  t.match(noFlag.body.error.message, /flag 'nope' does not exist/);
  const noEnvironment = await request('GET', '/v1/flags/checkout/environments/mars', { token: admin });
  t.equal(noEnvironment.status, 404);
  t.match(noEnvironment.body.error.message, /environment 'mars' does not exist/);
  const patchNoFlag = await request('PATCH', '/v1/flags/nope/environments/prod', { token: admin, body: { enabled: true } });
  t.equal(patchNoFlag.status, 404);
  t.match(patchNoFlag.body.error.message, /flag 'nope' does not exist/);
  const patchNoEnvironment = await request('PATCH', '/v1/flags/checkout/environments/mars', { token: admin, body: { enabled: true } });
  t.equal(patchNoEnvironment.status, 404);
  t.match(patchNoEnvironment.body.error.message, /environment 'mars' does not exist/);
});

t.test('a change bumps the environment version by one and records one event', async (t) => {
  const before = (await request('GET', '/v1/events?environment=prod', { token: admin })).body.events.length;
  const changed = await request('PATCH', '/v1/flags/checkout/environments/prod', { token: admin, body: { enabled: true } });
  t.equal(changed.status, 200);
  t.match(changed.body, { enabled: true, rollout: 10, version: 2 });
  t.equal(changed.headers.get('etag'), '"2"');

  const environments = await request('GET', '/v1/environments', { token: admin });
  t.equal(environments.body.environments.find((e: { key: string }) => e.key === 'prod').version, 2);
  t.equal(environments.body.environments.find((e: { key: string }) => e.key === 'dev').version, 1, 'other environments untouched');

  const events = (await request('GET', '/v1/events?environment=prod', { token: admin })).body.events;
  t.equal(events.length, before + 1);
  const last = events[events.length - 1];
  t.match(last, { environment: 'prod', version: 2, flag: 'checkout', action: 'updated', actor: { type: 'token', name: 'FLAGSHIP_ADMIN_TOKEN' } });
  t.match(last.before, { enabled: false, rollout: 10, version: 1 });
  t.same(last.after, changed.body, 'the event carries exactly the new state');

  const rollout = await request('PATCH', '/v1/flags/checkout/environments/prod', { token: admin, body: { rollout: 55 } });
  t.match(rollout.body, { enabled: true, rollout: 55, version: 3 });
  const both = await request('PATCH', '/v1/flags/checkout/environments/prod', { token: admin, body: { enabled: false, rollout: 0 } });
  t.match(both.body, { enabled: false, rollout: 0, version: 4 });
});

t.test('asking for what is already there writes nothing', async (t) => {
  const before = await dumpDatabase(env.pool);
  const same = await request('PATCH', '/v1/flags/checkout/environments/prod', { token: admin, body: { enabled: false, rollout: 0 } });
  t.equal(same.status, 200);
  t.equal(same.body.version, 4);
  t.equal(same.headers.get('etag'), '"4"');
  t.same(await dumpDatabase(env.pool), before);
});

t.test('the actor is the token that made the change', async (t) => {
  const token = await request('POST', '/v1/tokens', { token: admin, body: { name: 'release-bot', kind: 'admin' } });
  const changed = await request('PATCH', '/v1/flags/checkout/environments/dev', { token: token.body.secret, body: { rollout: 42 } });
  t.equal(changed.body.updatedBy, 'token:release-bot');
  const events = await request('GET', '/v1/events?environment=dev&flag=checkout', { token: admin });
  t.same(events.body.events.at(-1).actor, { type: 'token', id: token.body.token.id, name: 'release-bot' }, 'the token, by id and name');
});

t.test('a stale If-Match is a 412 and writes nothing; a current one writes and returns the new ETag', async (t) => {
  const current = await request('GET', '/v1/flags/checkout/environments/prod', { token: admin });
  const etag = current.headers.get('etag')!;
  const before = await dumpDatabase(env.pool);
  for (const stale of ['"1"', '"3"', 'W/"2"', '5', '"999"']) {
    const refused = await request('PATCH', '/v1/flags/checkout/environments/prod', {
      token: admin,
      body: { enabled: true },
      headers: { 'if-match': stale },
    });
    t.equal(refused.status, 412, stale);
    t.equal(refused.body.error.code, 'precondition_failed');
    t.match(refused.body.error.message, /version 4/);
    t.same(refused.body.error.details, { currentVersion: 4 });
  }
  t.same(await dumpDatabase(env.pool), before, 'nothing written by any stale write');

  const accepted = await request('PATCH', '/v1/flags/checkout/environments/prod', {
    token: admin,
    body: { enabled: true },
    headers: { 'if-match': etag },
  });
  t.equal(accepted.status, 200);
  t.equal(accepted.body.version, 5);
  t.equal(accepted.headers.get('etag'), '"5"');

  const weak = await request('PATCH', '/v1/flags/checkout/environments/prod', {
    token: admin,
    body: { rollout: 60 },
    headers: { 'if-match': 'W/"5"' },
  });
  t.equal(weak.status, 200, 'a weak ETag names the same version');
  t.equal(weak.headers.get('etag'), '"6"');

  const any = await request('PATCH', '/v1/flags/checkout/environments/prod', {
    token: admin,
    body: { rollout: 61 },
    headers: { 'if-match': '*' },
  });
  t.equal(any.status, 200, 'If-Match: * only asks that the state exist');
  t.equal(any.headers.get('etag'), '"7"');
});

t.test('two writers with the same If-Match: exactly one wins', async (t) => {
  const current = await request('GET', '/v1/flags/checkout/environments/staging', { token: admin });
  const etag = current.headers.get('etag')!;
  const replies = await Promise.all(
    [10, 20, 30, 40].map((rollout) =>
      request('PATCH', '/v1/flags/checkout/environments/staging', { token: admin, body: { rollout }, headers: { 'if-match': etag } }),
    ),
  );
  t.same(replies.map((reply) => reply.status).sort(), [200, 412, 412, 412]);
  const winner = replies.find((reply) => reply.status === 200)!;
  const after = await request('GET', '/v1/flags/checkout/environments/staging', { token: admin });
  t.equal(after.body.rollout, winner.body.rollout);
  t.equal(after.body.version, current.body.version + 1);
});

t.test('the flag read shows the state of every environment, as the state route does', async (t) => {
  const flag = await request('GET', '/v1/flags/checkout', { token: admin });
  for (const environment of ['dev', 'prod', 'staging']) {
    const state = await request('GET', `/v1/flags/checkout/environments/${environment}`, { token: admin });
    // The flag read adds when the flag was last evaluated there (AdminFlagState); the rest is the state.
    const { lastSeenAt, ...fromFlag } = flag.body.environments[environment];
    t.same(fromFlag, state.body, environment);
    t.equal(lastSeenAt, null, 'never evaluated');
  }
});
