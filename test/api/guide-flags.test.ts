import t from 'tap';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';
import { changeWhere } from '../sdk/support.js';
import { dumpDatabase } from './support/database-dump.js';

const env = await createTestEnvironment(t, 'guide-flags');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const prodSdk = await createSdkToken(request, admin, 'prod');
const devSdk = await createSdkToken(request, admin, 'dev');

const GUIDE_KEYS = ['enabled', 'environment', 'id', 'name', 'rollout', 'updated_at'];

t.test("the guide's calls exactly as written: POST with query parameters, then GET", async (t) => {
  const created = await request('POST', '/flags?name=new_ui&env=prod&enabled=true&rollout=30', { token: admin });
  t.equal(created.status, 201, created.text);
  t.same(Object.keys(created.body).sort(), GUIDE_KEYS, "exactly the guide's fields");
  t.match(created.body, { name: 'new_ui', environment: 'prod', enabled: true, rollout: 30 });
  t.match(created.body.id, /^[0-9a-f-]{36}$/);
  t.ok(!Number.isNaN(Date.parse(created.body.updated_at)), 'updated_at is a timestamp');

  const read = await request('GET', '/flags/new_ui?env=prod', { token: admin });
  t.equal(read.status, 200);
  t.same(read.body, created.body, 'GET answers what POST did');
});

t.test('a flag made this way is an ordinary FlagShip flag: under /v1, audited, versioned', async (t) => {
  const flag = await request('GET', '/v1/flags/new_ui', { token: admin });
  t.equal(flag.status, 200);
  t.match(flag.body.environments.prod, { enabled: true, rollout: 30 });
  t.match(flag.body.environments.dev, { enabled: false, rollout: 100 }, "the other environments get FlagShip's default");
  const events = await request('GET', '/v1/events?environment=prod&flag=new_ui', { token: admin });
  t.equal(events.body.events.length, 1);
  t.match(events.body.events[0], { action: 'created', actor: { type: 'token', name: 'FLAGSHIP_ADMIN_TOKEN' }, after: { enabled: true, rollout: 30 } });
  t.equal(events.body.events[0].version, flag.body.environments.prod.version);
});

t.test('the same fields as a JSON body', async (t) => {
  const created = await request('POST', '/flags', { token: admin, body: { name: 'dark_mode', env: 'dev', enabled: false, rollout: 50 } });
  t.equal(created.status, 201, created.text);
  t.match(created.body, { name: 'dark_mode', environment: 'dev', enabled: false, rollout: 50 });
  t.same((await request('GET', '/flags/dark_mode?env=dev', { token: admin })).body, created.body);
});

t.test('a second POST for the same name sets that state: idempotent, and other environments work too', async (t) => {
  const versionOf = async () => (await request('GET', '/v1/flags/new_ui/environments/prod', { token: admin })).body.version;
  const before = await versionOf();
  const repeated = await request('POST', '/flags?name=new_ui&env=prod&enabled=true&rollout=30', { token: admin });
  t.equal(repeated.status, 200, 'an existing flag answers 200, not 201');
  t.match(repeated.body, { name: 'new_ui', environment: 'prod', enabled: true, rollout: 30 });
  t.equal(await versionOf(), before, 'the same values again write nothing');

  const changed = await request('POST', '/flags?name=new_ui&env=prod&rollout=60', { token: admin });
  t.equal(changed.status, 200);
  t.match(changed.body, { enabled: true, rollout: 60 }, 'a field not given keeps its value');
  t.ok((await versionOf()) > before, 'a different value is a new version');

  const inStaging = await request('POST', '/flags?name=new_ui&env=staging&enabled=true&rollout=5', { token: admin });
  t.equal(inStaging.status, 200);
  t.match(inStaging.body, { environment: 'staging', enabled: true, rollout: 5 });
  t.equal(inStaging.body.id, changed.body.id, 'one FlagShip flag, a state per environment');
});

t.test('an archived name is a 409, and reads as not found', async (t) => {
  await request('POST', '/flags?name=old_banner&env=prod&enabled=true', { token: admin });
  t.equal((await request('DELETE', '/v1/flags/old_banner', { token: admin })).status, 200);
  const again = await request('POST', '/flags?name=old_banner&env=prod&enabled=true', { token: admin });
  t.equal(again.status, 409);
  t.match(again.body.error.message, /archived/);
  const read = await request('GET', '/flags/old_banner?env=prod', { token: admin });
  t.equal(read.status, 404);
  t.same(read.body, { detail: 'Flag not found' });
});

t.test("an unknown flag is the guide's 404 body", async (t) => {
  const missing = await request('GET', '/flags/no_such_flag?env=prod', { token: admin });
  t.equal(missing.status, 404);
  t.same(missing.body, { detail: 'Flag not found' });
});

t.test('auth: admin to create; admin, or an sdk token of that environment, to read', async (t) => {
  const before = await dumpDatabase(env.pool);
  t.equal((await request('POST', '/flags?name=anonymous&env=prod')).status, 401);
  const bySdk = await request('POST', '/flags?name=by_sdk&env=prod', { token: prodSdk.secret });
  t.equal(bySdk.status, 403);
  t.match(bySdk.body.error.message, /admin token/);
  t.same(await dumpDatabase(env.pool), before, 'refused writes change nothing');

  t.equal((await request('GET', '/flags/new_ui?env=prod')).status, 401);
  const own = await request('GET', '/flags/new_ui?env=prod', { token: prodSdk.secret });
  t.equal(own.status, 200);
  t.match(own.body, { name: 'new_ui', environment: 'prod' });
  const other = await request('GET', '/flags/new_ui?env=prod', { token: devSdk.secret });
  t.equal(other.status, 403);
  t.match(other.body.error.message, /environment 'dev'/);
  t.equal((await request('GET', '/flags/new_ui?env=staging', { token: admin })).status, 200, 'admin reads any environment');
});

t.test('bad input is a 400 naming the field, and writes nothing', async (t) => {
  const before = await dumpDatabase(env.pool);
  const cases: Array<{ label: string; path: string; body?: unknown; field: RegExp }> = [
    { label: 'rollout 101', path: '/flags?name=bad&env=prod&rollout=101', field: /query\.rollout/ },
    { label: 'rollout not a number', path: '/flags?name=bad&env=prod&rollout=lots', field: /query\.rollout/ },
    { label: 'enabled not a boolean', path: '/flags?name=bad&env=prod&enabled=yes', field: /query\.enabled/ },
    { label: 'an unknown environment', path: '/flags?name=bad&env=production', field: /query\.env: no environment 'production'/ },
    { label: 'a missing name', path: '/flags?env=prod&enabled=true', field: /query\.name: is required/ },
    { label: 'a missing env', path: '/flags?name=bad', field: /query\.env: is required/ },
    { label: 'nothing at all', path: '/flags', field: /query\.name: is required/ },
    { label: 'a name FlagShip cannot store', path: '/flags?name=has%20space&env=prod', field: /query\.name/ },
    { label: 'an unknown parameter', path: '/flags?name=bad&env=prod&colour=red', field: /colour/ },
    { label: 'rollout 101 in a body', path: '/flags', body: { name: 'bad', env: 'prod', rollout: 101 }, field: /body\.rollout/ },
    { label: 'a missing name in a body', path: '/flags', body: { env: 'prod' }, field: /body\.name: is required/ },
    { label: 'an unknown environment in a body', path: '/flags', body: { name: 'bad', env: 'qa' }, field: /body\.env/ },
    { label: 'both forms at once', path: '/flags?name=bad', body: { env: 'prod' }, field: /either as query parameters or as a JSON body/ },
  ];
  for (const { label, path, body, field } of cases) {
    const reply = await request('POST', path, { token: admin, body });
    t.equal(reply.status, 400, `${label}: ${reply.text}`);
    t.match(reply.body?.error?.message, field, label);
  }
  const read = await request('GET', '/flags/new_ui', { token: admin });
  t.equal(read.status, 400, 'GET without env');
  t.match(read.body.error.message, /query\.env/);
  const unknownEnv = await request('GET', '/flags/new_ui?env=production', { token: admin });
  t.equal(unknownEnv.status, 400);
  t.match(unknownEnv.body.error.message, /query\.env: no environment 'production'/);
  t.same(await dumpDatabase(env.pool), before);
});

t.test('a flag made this way reaches a connected SDK', async (t) => {
  const notifier = await startTestNotifier(t, env);
  const client = new FlagShipClient({ url: notifier.url, token: prodSdk.secret });
  t.teardown(() => client.close());
  await client.ready();
  t.equal(client.isEnabled('checkout_v2', { key: 'user-1' }), false, 'not there yet');
  const arrived = changeWhere(client, (change) => change.flags.some((flag) => flag.key === 'checkout_v2'));
  const created = await request('POST', '/flags?name=checkout_v2&env=prod&enabled=true&rollout=100', { token: admin });
  t.equal(created.status, 201);
  await arrived;
  t.equal(client.isEnabled('checkout_v2', { key: 'user-1' }), true);
});

t.test("rollout is null in the guide's shape when the targeting is more than one percentage", async (t) => {
  await request('POST', '/flags?name=acme_only&env=prod&enabled=true&rollout=100', { token: admin });
  const replaced = await request('PUT', '/v1/flags/acme_only/environments/prod', {
    token: admin,
    body: {
      enabled: true,
      strategies: [
        {
          name: 'flexibleRollout',
          parameters: { rollout: '100', stickiness: 'default', groupId: 'acme_only' },
          constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }],
        },
      ],
      variants: [],
      dependencies: [],
    },
  });
  t.equal(replaced.status, 200, replaced.text);
  const read = await request('GET', '/flags/acme_only?env=prod', { token: admin });
  t.equal(read.status, 200);
  t.match(read.body, { name: 'acme_only', environment: 'prod', enabled: true, rollout: null });
  t.same(Object.keys(read.body).sort(), GUIDE_KEYS);
  const switchedOff = await request('POST', '/flags?name=acme_only&env=prod&enabled=false', { token: admin });
  t.equal(switchedOff.status, 200, 'enabled alone still works on such a flag');
  t.match(switchedOff.body, { enabled: false, rollout: null });
});
