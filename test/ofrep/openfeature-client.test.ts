import t from 'tap';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { bucket } from '../../packages/evaluation/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { changeState, createFlags, createSdkToken, eventually } from '../evaluation/fixtures.js';

const env = await createTestEnvironment(t, 'ofrep-openfeature');
const api = await startTestApi(t, env);
const admin = env.adminSecret;

await createFlags(api.request, admin, {
  new_checkout: { prod: { enabled: true, rollout: 100 } },
  legacy_banner: { prod: { enabled: false, rollout: 100 } },
  new_ui: { prod: { enabled: true, rollout: 25 } },
});
const prod = await createSdkToken(api.request, admin, 'prod');

/** An OpenFeature client wired to FlagShip exactly as an app would be (per-domain, so tests do not share one). */
async function openFeatureClient(domain: string, secret: string): Promise<Client> {
  const provider = new OFREPProvider({ baseUrl: api.url, headers: { Authorization: `Bearer ${secret}` } });
  await OpenFeature.setProviderAndWait(domain, provider);
  return OpenFeature.getClient(domain);
}

const client = await openFeatureClient('prod', prod.secret);
t.teardown(() => OpenFeature.close());

t.test('a flag that is on', async (t) => {
  const details = await client.getBooleanDetails('new_checkout', false, { targetingKey: 'user-1' });
  t.match(details, { flagKey: 'new_checkout', value: true, variant: 'on', reason: 'STATIC' });
  t.match(details.flagMetadata, { environment: 'prod', rollout: 100 });
  t.equal(details.errorCode, undefined);
  t.equal(await client.getBooleanValue('new_checkout', false, { targetingKey: 'user-1' }), true);
});

t.test('a flag that is off', async (t) => {
  const details = await client.getBooleanDetails('legacy_banner', true, { targetingKey: 'user-1' });
  t.match(details, { flagKey: 'legacy_banner', value: false, variant: 'off', reason: 'DISABLED' });
  t.equal(details.errorCode, undefined);
});

t.test('a partial rollout: each user gets their bucket, whatever the default', async (t) => {
  let on = 0;
  for (let i = 0; i < 40; i += 1) {
    const targetingKey = `user-${i}`;
    const expected = bucket('new_ui', targetingKey) <= 25;
    const withFalse = await client.getBooleanDetails('new_ui', false, { targetingKey });
    const withTrue = await client.getBooleanDetails('new_ui', true, { targetingKey });
    t.match(withFalse, { value: expected, variant: expected ? 'on' : 'off', reason: 'SPLIT' }, targetingKey);
    t.equal(withTrue.value, expected);
    t.equal(withFalse.flagMetadata.bucket, bucket('new_ui', targetingKey));
    if (expected) on += 1;
  }
  t.ok(on > 0 && on < 40, 'some users are in, some out');
});

t.test('an unknown flag: the default value, with FLAG_NOT_FOUND', async (t) => {
  for (const defaultValue of [true, false]) {
    const details = await client.getBooleanDetails('no_such_flag', defaultValue, { targetingKey: 'user-1' });
    t.match(details, { value: defaultValue, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  }
});

t.test('a missing targeting key: the default value, with TARGETING_KEY_MISSING, where the key matters', async (t) => {
  const details = await client.getBooleanDetails('new_ui', true, { email: 'someone@example.com' });
  t.match(details, { value: true, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
  t.match(details.errorMessage, /context key/);
  t.match(await client.getBooleanDetails('new_checkout', false, {}), { value: true, reason: 'STATIC' }, 'not for a flag that is on for everyone');
});

t.test('the wrong type is TYPE_MISMATCH, as OpenFeature expects', async (t) => {
  t.match(await client.getStringDetails('new_checkout', 'x', { targetingKey: 'user-1' }), { value: 'x', errorCode: 'TYPE_MISMATCH' });
});

t.test('an admin token or a revoked one gets the default value with an error', async (t) => {
  const asAdmin = await openFeatureClient('admin', admin);
  t.match(await asAdmin.getBooleanDetails('new_checkout', false, { targetingKey: 'u' }), { value: false, reason: 'ERROR', errorCode: String });
  const doomed = await createSdkToken(api.request, admin, 'prod');
  const revokedClient = await openFeatureClient('revoked', doomed.secret);
  t.match(await revokedClient.getBooleanDetails('new_checkout', false, { targetingKey: 'u' }), { value: true });
  await api.request('DELETE', `/v1/tokens/${doomed.id}`, { token: admin });
  t.match(await revokedClient.getBooleanDetails('new_checkout', false, { targetingKey: 'u' }), { value: false, reason: 'ERROR', errorCode: String });
});

t.test('after a REST change, the OpenFeature client sees it', async (t) => {
  await changeState(api.request, admin, 'legacy_banner', 'prod', { enabled: true });
  const details = await eventually(
    () => client.getBooleanDetails('legacy_banner', false, { targetingKey: 'user-1' }),
    (answer) => answer.value,
  );
  t.match(details, { value: true, variant: 'on', reason: 'STATIC' });
});
