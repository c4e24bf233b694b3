import t from 'tap';
import { insertWebhook } from '../../shared/domain/webhooks/webhook-repository.js';
import { refusalOf } from '../../shared/domain/webhooks/address-policy.js';
import { newSigningSecret } from '../../shared/domain/webhooks/signing.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestWebhookWorker, webhookClient } from '../helpers/webhooks.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/worker.js';

/*
 * Cloud metadata and link-local addresses are never a webhook target, even
 * with FLAGSHIP_WEBHOOK_ALLOW_PRIVATE=1, in whatever IPv6 form they are
 * wrapped: checked on the IPv4 address the wrapper reaches, at creation, at
 * update and at every delivery.
 */

// [address, what it reaches]: every form must be refused whatever the setting says.
const NEVER: Array<[string, string]> = [
  ['169.254.169.254', 'the metadata service'],
  ['169.254.170.2', 'ECS task credentials'],
  ['169.254.169.253', 'AWS DNS'],
  ['169.254.0.23', 'Tencent metadata (any of 169.254.0.0/16)'],
  ['::ffff:169.254.169.254', 'IPv4-mapped'],
  ['::a9fe:a9fe', 'IPv4-compatible (::169.254.169.254, as URLs write it)'],
  ['::ffff:0:169.254.169.254', 'IPv4-translated (SIIT)'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 well-known prefix'],
  ['64:ff9b::169.254.170.2', 'NAT64, ECS credentials'],
  ['64:ff9b:1::a9fe:a9fe', 'NAT64 local-use prefix'],
  ['2002:a9fe:a9fe::', '6to4'],
  ['2002:a9fe:aa02::1', '6to4, ECS credentials'],
  ['2001:0:4136:e378:8000:63bf:5601:5601', 'Teredo (client 169.254.169.254, inverted)'],
  ['fd00:ec2::254', 'AWS IMDS over IPv6'],
  ['fd00:ec2::253', 'AWS DNS over IPv6'],
  ['fd20:ce::254', 'Google Cloud metadata over IPv6'],
  ['fe80::a9fe:a9fe', 'OpenStack metadata over IPv6 link-local'],
  ['100.100.100.200', 'Alibaba Cloud metadata'],
];

// Wrappers of ordinary addresses are judged as what they wrap.
const JUDGED_AS_WRAPPED: Array<[string, { open: boolean; strict: boolean }]> = [
  ['::ffff:127.0.0.1', { open: true, strict: false }],
  ['64:ff9b::a00:1', { open: true, strict: false }],
  ['2002:c0a8:1::', { open: true, strict: false }],
  ['::ffff:8.8.8.8', { open: true, strict: true }],
  ['64:ff9b::808:808', { open: true, strict: true }],
  ['10.1.2.3', { open: true, strict: false }],
  ['::1', { open: true, strict: false }],
];

const hostOf = (address: string) => (address.includes(':') ? `[${address}]` : address);

t.test('the policy: metadata forms always refused, wrappers judged as the address they reach', async (t) => {
  for (const [address, what] of NEVER) {
    for (const allowPrivate of [true, false]) {
      t.match(refusalOf(address, { allowPrivate }), /never allowed/, `${address} (${what}), allowPrivate=${allowPrivate}`);
    }
  }
  for (const [address, allowed] of JUDGED_AS_WRAPPED) {
    t.equal(refusalOf(address, { allowPrivate: true }) === undefined, allowed.open, `${address} with private targets allowed`);
    t.equal(refusalOf(address, { allowPrivate: false }) === undefined, allowed.strict, `${address} without`);
  }
  t.match(refusalOf('64:ff9b::a9fe:a9fe', { allowPrivate: true }), /^64:ff9b::a9fe:a9fe \(169\.254\.169\.254\) is in 169\.254\.0\.0\/16/);
});

const env = await createTestEnvironment(t, 'webhook-addresses');
const { request } = await startTestApi(t, env, { allowPrivateWebhooks: true });
const admin = env.adminSecret;
const { call, createWebhook, createFlag, setRollout } = webhookClient(request, admin);
const receiver = await startWebhookReceiver(t);

t.test('with private targets allowed, every form is a 400 naming url at creation and at update, and stores nothing', async (t) => {
  const { webhook } = await createWebhook({ url: `${receiver.url}/kept` });
  for (const [address, what] of NEVER) {
    const url = `http://${hostOf(address)}/latest/meta-data/`;
    const created = await request('POST', '/v1/webhooks', { token: admin, body: { url } });
    t.equal(created.status, 400, `POST ${address} (${what})`);
    t.match(created.body.error, { code: 'invalid_request', message: /never allowed/, details: [{ path: ['url'] }] }, address);
    const updated = await request('PATCH', `/v1/webhooks/${webhook.id}`, { token: admin, body: { url } });
    t.equal(updated.status, 400, `PATCH ${address} (${what})`);
    t.match(updated.body.error, { message: /never allowed/, details: [{ path: ['url'] }] }, address);
  }
  const webhooks = (await call('GET', '/v1/webhooks')).webhooks;
  t.same(webhooks.map((w: { url: string }) => w.url), [`${receiver.url}/kept`], 'none stored, none changed');
  await call('DELETE', `/v1/webhooks/${webhook.id}`);
});

t.test('at delivery: a stored URL in one of these forms is refused before any connection', async (t) => {
  // Rows written past the API (as by an older version, or with a check bypassed): the worker checks again.
  const forms = ['64:ff9b::a9fe:a9fe', '2002:a9fe:aa02::1', '::ffff:0:169.254.169.254', '169.254.170.2', 'fd00:ec2::254'];
  const ids: string[] = [];
  for (const address of forms) {
    const webhook = await insertWebhook(env.pool, {
      url: `http://${hostOf(address)}/hook`,
      description: address,
      format: 'json',
      environments: ['prod'],
      flags: null,
      enabled: true,
      signingSecret: newSigningSecret(),
      createdBy: { type: 'system', id: 'test', name: 'test' },
    });
    ids.push(webhook.id);
  }
  // A short attempt timeout: a connection attempt (the old behaviour) fails as a timeout, not as "refused".
  const worker = await startTestWebhookWorker(t, env, { webhookAllowPrivate: true, webhookRetryBaseMs: 60_000 }, { attemptTimeoutMs: 500 });
  await createFlag('probe', { prod: { enabled: true } });
  await setRollout('probe', 'prod', 10);
  for (const [index, id] of ids.entries()) {
    const form = forms[index]!;
    const page = await waitFor(`the attempt to ${form}`, async () => {
      const log = await call('GET', `/v1/webhooks/${id}/deliveries`);
      return log.deliveries.length > 0 && log;
    });
    t.match(page.deliveries[0], { statusCode: null, error: /^refused: .*never allowed/ }, form);
  }
  await worker.close();
});
