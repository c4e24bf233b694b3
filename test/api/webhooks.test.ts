import t from 'tap';
import { Webhook } from 'standardwebhooks';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const env = await createTestEnvironment(t, 'api-webhooks');
// Two APIs on one database: the installation's setting decides what a URL may point at.
const open = await startTestApi(t, env, { allowPrivateWebhooks: true });
const strict = await startTestApi(t, env, { allowPrivateWebhooks: false });
const admin = env.adminSecret;
const receiver = await startWebhookReceiver(t);

async function createWebhook(body: Record<string, unknown>) {
  const response = await open.request('POST', '/v1/webhooks', { token: admin, body });
  if (response.status !== 201) throw new Error(`could not create a webhook: ${response.status} ${response.text}`);
  return response.body as { webhook: { id: string }; secret: string };
}

t.test('create, read, list, change, delete; the secret is shown at creation only', async (t) => {
  const created = await open.request('POST', '/v1/webhooks', {
    token: admin,
    body: { url: `${receiver.url}/hooks`, description: 'audit', environments: ['prod'], flags: ['new_ui'] },
  });
  t.equal(created.status, 201);
  t.equal(created.headers.get('cache-control'), 'no-store');
  t.match(created.body.secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
  t.match(created.body.webhook, {
    url: `${receiver.url}/hooks`,
    description: 'audit',
    format: 'json',
    environments: ['prod'],
    flags: ['new_ui'],
    enabled: true,
    disabledReason: null,
    createdBy: 'token:FLAGSHIP_ADMIN_TOKEN',
  });
  const id = created.body.webhook.id;

  const read = await open.request('GET', `/v1/webhooks/${id}`, { token: admin });
  t.equal(read.status, 200);
  t.notMatch(read.text, created.body.secret.slice(6), 'the secret is never returned again');
  const list = await open.request('GET', '/v1/webhooks', { token: admin });
  t.ok(list.body.webhooks.some((webhook: { id: string }) => webhook.id === id));
  t.notMatch(list.text, created.body.secret.slice(6));

  const changed = await open.request('PATCH', `/v1/webhooks/${id}`, {
    token: admin,
    body: { environments: null, format: 'slack', enabled: false, description: 'to slack' },
  });
  t.equal(changed.status, 200);
  t.match(changed.body, { environments: null, format: 'slack', enabled: false, description: 'to slack', flags: ['new_ui'] });

  t.equal((await open.request('DELETE', `/v1/webhooks/${id}`, { token: admin })).status, 200);
  t.equal((await open.request('GET', `/v1/webhooks/${id}`, { token: admin })).status, 404);
  t.equal((await open.request('DELETE', `/v1/webhooks/${id}`, { token: admin })).status, 404);
});

t.test('bad input is a 400 naming the field, and stores nothing', async (t) => {
  const before = (await open.request('GET', '/v1/webhooks', { token: admin })).body.webhooks.length;
  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{ url: 'ftp://example.com/x' }, ['url']],
    [{ url: 'not a url' }, ['url']],
    [{ url: 'https://user:pass@example.com/x' }, ['url']],
    [{ url: `${receiver.url}/x`, environments: ['prod', 'nowhere'] }, ['environments', '1']],
    [{ url: `${receiver.url}/x`, environments: [] }, ['environments']],
    [{ url: `${receiver.url}/x`, flags: ['Not A Key!'] }, ['flags', '0']],
    [{ url: `${receiver.url}/x`, format: 'xml' }, ['format']],
    [{ url: `${receiver.url}/x`, secret: 'whsec_mine' }, []],
    [{}, ['url']],
  ];
  for (const [body, path] of cases) {
    const response = await open.request('POST', '/v1/webhooks', { token: admin, body });
    t.equal(response.status, 400, JSON.stringify(body));
    t.equal(response.body.error.code, 'invalid_request');
    if (path.length > 0) t.ok(response.body.error.details.some((d: { path: string[] }) => d.path.join('.') === path.join('.')), path.join('.'));
  }
  const { webhook } = await createWebhook({ url: `${receiver.url}/x` });
  t.equal((await open.request('PATCH', `/v1/webhooks/${webhook.id}`, { token: admin, body: {} })).status, 400);
  t.equal((await open.request('PATCH', `/v1/webhooks/${webhook.id}`, { token: admin, body: { url: 'http://169.254.169.254/' } })).status, 400);
  t.equal((await open.request('GET', '/v1/webhooks/not-a-uuid', { token: admin })).status, 400);
  t.equal((await open.request('GET', '/v1/webhooks/00000000-0000-4000-8000-000000000000', { token: admin })).status, 404);
  t.equal((await open.request('GET', `/v1/webhooks/${webhook.id}/deliveries?limit=0`, { token: admin })).status, 400);
  t.equal((await open.request('POST', `/v1/webhooks/${webhook.id}/rotate-secret`, { token: admin, body: { previousSecretValidSeconds: -1 } })).status, 400);
  t.equal((await open.request('GET', `/v1/webhooks/${webhook.id}`, { token: admin })).body.url, `${receiver.url}/x`, 'unchanged');
  t.equal((await open.request('GET', '/v1/webhooks', { token: admin })).body.webhooks.length, before + 1);
  t.equal((await open.request('GET', '/v1/webhooks')).status, 401);
  await open.request('DELETE', `/v1/webhooks/${webhook.id}`, { token: admin });
});

t.test('private addresses are refused without FLAGSHIP_WEBHOOK_ALLOW_PRIVATE; metadata and link-local addresses always', async (t) => {
  const port = new URL(receiver.url).port;
  for (const url of [
    receiver.url,
    `http://localhost:${port}/`,
    'http://10.1.2.3/hook',
    'http://192.168.0.10/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0/hook',
  ]) {
    const response = await strict.request('POST', '/v1/webhooks', { token: admin, body: { url } });
    t.equal(response.status, 400, url);
    t.match(response.body.error.message, /FLAGSHIP_WEBHOOK_ALLOW_PRIVATE=1/, url);
    t.same(response.body.error.details[0].path, ['url']);
  }
  // Link-local is where metadata services answer: never allowed (the forms: test/security/webhook-addresses.test.ts).
  for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/latest', 'http://[::ffff:169.254.169.254]/', 'http://[fe80::1]/hook']) {
    for (const api of [strict, open]) {
      const response = await api.request('POST', '/v1/webhooks', { token: admin, body: { url } });
      t.equal(response.status, 400, url);
      t.match(response.body.error.message, /metadata/, url);
    }
  }
  t.equal((await open.request('POST', '/v1/webhooks', { token: admin, body: { url: 'http://no-such-host.invalid/x' } })).status, 400);
  t.equal((await strict.request('GET', '/v1/webhooks', { token: admin })).body.webhooks.length, 0, 'none was stored');
});

t.test('a ping is signed as Standard Webhooks; a tampered body fails; deliveries list newest first, paged', async (t) => {
  const { webhook, secret } = await createWebhook({ url: `${receiver.url}/ping` });
  const first = await open.request('POST', `/v1/webhooks/${webhook.id}/test`, { token: admin });
  t.equal(first.status, 200);
  t.match(first.body, { accepted: true, delivery: { type: 'webhook.ping', statusCode: 200, attempt: 1, error: null, responseBody: 'ok' } });
  const request = receiver.requests.at(-1)!;
  t.equal(request.path, '/ping');
  t.equal(request.headers['content-type'], 'application/json');
  t.match(request.headers['webhook-id'], /^ping_/);
  t.match(JSON.parse(request.body), { type: 'webhook.ping', webhookId: webhook.id });
  t.match(new Webhook(secret).verify(request.body, request.headers), { type: 'webhook.ping' });
  t.throws(() => new Webhook(secret).verify(request.body.replace('ping', 'pong'), request.headers), /No matching signature/);

  receiver.answerWith(() => ({ status: 503, body: 'down for maintenance' }));
  const failed = await open.request('POST', `/v1/webhooks/${webhook.id}/test`, { token: admin });
  t.match(failed.body, { accepted: false, delivery: { statusCode: 503, error: 'answered 503', responseBody: 'down for maintenance' } });
  receiver.answerWith(() => ({ status: 200 }));
  await open.request('POST', `/v1/webhooks/${webhook.id}/test`, { token: admin });

  const page1 = await open.request('GET', `/v1/webhooks/${webhook.id}/deliveries?limit=2`, { token: admin });
  t.equal(page1.body.deliveries.length, 2);
  t.same(page1.body.deliveries.map((d: { statusCode: number }) => d.statusCode), [200, 503], 'newest first');
  const page2 = await open.request('GET', `/v1/webhooks/${webhook.id}/deliveries?limit=2&before=${page1.body.nextBefore}`, { token: admin });
  t.same(page2.body.deliveries.map((d: { id: number }) => d.id), [first.body.delivery.id]);
  t.equal(page2.body.nextBefore, null);
});

t.test('rotation: the previous secret keeps signing for the grace period, or stops at once', async (t) => {
  const { webhook, secret: original } = await createWebhook({ url: `${receiver.url}/rotate` });
  const rotated = await open.request('POST', `/v1/webhooks/${webhook.id}/rotate-secret`, { token: admin });
  t.equal(rotated.status, 200);
  t.equal(rotated.headers.get('cache-control'), 'no-store');
  const next = rotated.body.secret as string;
  t.not(next, original);
  t.ok(rotated.body.webhook.previousSecretExpiresAt);
  await open.request('POST', `/v1/webhooks/${webhook.id}/test`, { token: admin });
  const during = receiver.requests.at(-1)!;
  t.equal(during.headers['webhook-signature']!.split(' ').length, 2, 'two signatures');
  t.ok(new Webhook(next).verify(during.body, during.headers));
  t.ok(new Webhook(original).verify(during.body, during.headers));

  const again = await open.request('POST', `/v1/webhooks/${webhook.id}/rotate-secret`, {
    token: admin,
    body: { previousSecretValidSeconds: 0 },
  });
  t.equal(again.body.webhook.previousSecretExpiresAt, null);
  await open.request('POST', `/v1/webhooks/${webhook.id}/test`, { token: admin });
  const after = receiver.requests.at(-1)!;
  t.ok(new Webhook(again.body.secret).verify(after.body, after.headers));
  t.throws(() => new Webhook(next).verify(after.body, after.headers), /No matching signature/);
});

t.test('redirects are not followed; at most 1 KB of an answer is kept', async (t) => {
  const { webhook } = await createWebhook({ url: `${receiver.url}/moved` });
  receiver.answerWith((request) =>
    request.path === '/moved' ? { status: 302, headers: { location: `${receiver.url}/elsewhere` } } : { status: 200 },
  );
  const redirected = await open.request('POST', `/v1/webhooks/${webhook.id}/test`, { token: admin });
  t.match(redirected.body, { accepted: false, delivery: { statusCode: 302, error: /redirects are not followed/ } });
  t.notOk(receiver.requests.some((request) => request.path === '/elsewhere'), 'the redirect target received nothing');

  receiver.answerWith(() => ({ status: 200, body: 'x'.repeat(5000) }));
  const big = await open.request('POST', `/v1/webhooks/${webhook.id}/test`, { token: admin });
  t.equal(big.body.accepted, true);
  t.equal(big.body.delivery.responseBody.length, 1024);
  receiver.answerWith(() => ({ status: 200 }));
});

t.test('the routes are in the OpenAPI document (test/api/openapi.test.ts checks every route is described)', async (t) => {
  const document = (await open.request('GET', '/openapi.json')).body;
  for (const [path, method] of [
    ['/v1/webhooks', 'post'],
    ['/v1/webhooks', 'get'],
    ['/v1/webhooks/{id}', 'patch'],
    ['/v1/webhooks/{id}', 'delete'],
    ['/v1/webhooks/{id}/rotate-secret', 'post'],
    ['/v1/webhooks/{id}/deliveries', 'get'],
    ['/v1/webhooks/{id}/test', 'post'],
  ] as const) {
    t.same(document.paths[path]?.[method]?.security, [{ admin: [] }, { personal: [] }, { session: [] }], `${method.toUpperCase()} ${path} takes an admin token (or a person's)`);
    t.match(document.paths[path]?.[method]?.description, /admin role/, `${method.toUpperCase()} ${path} needs the admin role`);
  }
});
