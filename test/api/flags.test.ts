import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

const env = await createTestEnvironment(t, 'api-flags');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

t.test('create a flag with initial states, read it back', async (t) => {
  const created = await request('POST', '/v1/flags', {
    token: admin,
    body: { key: 'new_ui', description: 'the new UI', environments: { prod: { enabled: true, rollout: 25 } } },
  });
  t.equal(created.status, 201);
  t.equal(created.body.key, 'new_ui');
  t.match(created.body.environments.prod, { enabled: true, rollout: 25, version: 1, updatedBy: 'token:FLAGSHIP_ADMIN_TOKEN' });
  t.match(created.body.environments.dev, { enabled: false, rollout: 100 });

  const read = await request('GET', '/v1/flags/new_ui', { token: admin });
  t.equal(read.status, 200);
  t.same(read.body, created.body);
});

t.test('a duplicate key is a 409', async (t) => {
  const again = await request('POST', '/v1/flags', { token: admin, body: { key: 'new_ui' } });
  t.equal(again.status, 409);
  t.equal(again.body.error.code, 'conflict');
});
