import t from 'tap';
import { Webhook } from 'standardwebhooks';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { bodyOf, startTestWebhookWorker, webhookClient } from '../helpers/webhooks.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/worker.js';

/*
 * A change request's own state changes (opened, commented, approved, applied,
 * rejected, …) reach webhooks through the same delivery as flag changes: the
 * same signature, the same retries, and in order with the environment's
 * change events (an applied request: its `changes.applied`, then
 * `change-request.applied`).
 */
const env = await createTestEnvironment(t, 'cr-webhooks');
const { request } = await startTestApi(t, env, { allowPrivateWebhooks: true });
const admin = env.adminSecret;
const receiver = await startWebhookReceiver(t);
const { call, createWebhook, createFlag, setRollout } = webhookClient(request, admin);
const reviewer = (await call('POST', '/v1/tokens', { name: 'reviewer', kind: 'admin' }, 201)).secret as string;
const as = (token: string) => async (method: string, path: string, body?: unknown) => {
  const response = await request(method, path, { token, body });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.body;
};
const byAdmin = as(admin);
const byReviewer = as(reviewer);

for (const key of ['cw_a', 'cw_b', 'cw_other']) await createFlag(key, { prod: { enabled: false, rollout: 100 } });
const worker = await startTestWebhookWorker(t, env, { webhookRetryBaseMs: 20 });
const all = await createWebhook({ url: `${receiver.url}/all`, environments: ['prod'] });
const filtered = await createWebhook({ url: `${receiver.url}/only-b`, environments: ['prod'], flags: ['cw_b'] });
const accepted = (path: string) => receiver.accepted().filter((r) => r.path === path);
const summary = (path: string) =>
  accepted(path).map((r) => {
    const body = bodyOf(r);
    return body.changeRequest ? `${body.type} ${body.changeRequest.title}` : `${body.type} v${body.version}`;
  });

t.test('every state change of a request is delivered, signed, in order with the changes; a failed one is retried in place', async (t) => {
  // The first attempt of the approval fails: it is retried, and nothing after it overtakes it.
  let failedOnce = false;
  receiver.answerWith((r) => {
    if (r.path === '/all' && !failedOnce && bodyOf(r).type === 'change-request.approved') {
      failedOnce = true;
      return { status: 503, body: 'busy' };
    }
    return { status: 200 };
  });
  const opened = await byAdmin('POST', '/v1/change-requests', {
    environment: 'prod',
    title: 'launch',
    changes: [
      { flag: 'cw_a', set: { enabled: true } },
      { flag: 'cw_b', set: { enabled: true, rollout: 50 } },
    ],
  });
  const patched = await setRollout('cw_other', 'prod', 30);
  await byReviewer('POST', `/v1/change-requests/${opened.id}/comments`, { body: 'ship it' });
  await byReviewer('POST', `/v1/change-requests/${opened.id}/approve`);
  const applied = await byReviewer('POST', `/v1/change-requests/${opened.id}/apply`);
  const rejected = await byAdmin('POST', '/v1/change-requests', { environment: 'prod', title: 'too early', changes: [{ flag: 'cw_other', set: { enabled: true } }] });
  await byReviewer('POST', `/v1/change-requests/${rejected.id}/reject`, { reason: 'freeze' });

  const expected = [
    'change-request.opened launch',
    `flag.updated v${patched.version}`,
    'change-request.commented launch',
    'change-request.approved launch',
    `changes.applied v${applied.appliedVersion}`,
    'change-request.applied launch',
    'change-request.opened too early',
    'change-request.rejected too early',
  ];
  await waitFor('every delivery at /all', async () => accepted('/all').length >= expected.length);
  t.same(summary('/all'), expected, 'one lane, in the order things happened');
  t.ok(failedOnce, 'the approval failed once');
  const approvals = receiver.requests.filter((r) => r.path === '/all' && bodyOf(r).type === 'change-request.approved');
  t.equal(approvals.length, 2, 'and was retried');
  t.equal(approvals[0]!.headers['webhook-id'], approvals[1]!.headers['webhook-id'], 'with the same webhook-id');
  t.match(approvals[0]!.headers['webhook-id'], /^cre_\d+$/);
  for (const r of receiver.requests.filter((r) => r.path === '/all')) new Webhook(all.secret).verify(r.body, r.headers);

  const bodies = accepted('/all').map(bodyOf);
  t.match(bodies[0], {
    type: 'change-request.opened',
    environment: 'prod',
    actor: { type: 'token' },
    changeRequest: { id: opened.id, kind: 'change-request', title: 'launch', state: 'open', requiredApprovals: 1, flags: ['cw_a', 'cw_b'] },
  });
  t.match(bodies[2], { comment: { body: 'ship it' }, actor: { name: 'reviewer' } });
  t.match(bodies[3], { changeRequest: { state: 'approved', approvals: 1 } });
  t.match(bodies[4], { changeRequestId: opened.id, events: [{ flag: 'cw_a' }, { flag: 'cw_b' }] });
  t.match(bodies[5], { version: applied.appliedVersion, changeRequest: { state: 'applied', appliedVersion: applied.appliedVersion } });
  t.match(bodies[7], { changeRequest: { state: 'rejected', reason: 'freeze' } });

  const log = await call('GET', `/v1/webhooks/${all.webhook.id}/deliveries`);
  t.match(log.deliveries.find((d: { type: string }) => d.type === 'change-request.rejected'), { statusCode: 200, environment: 'prod', messageId: /^cre_/ });

  await waitFor('the filtered webhook', async () => accepted('/only-b').length >= 5);
  t.same(
    summary('/only-b'),
    ['change-request.opened launch', 'change-request.commented launch', 'change-request.approved launch', `flag.updated v${applied.appliedVersion}`, 'change-request.applied launch'],
    "a webhook filtering on flags takes the requests that change one of them (and of the applied version, its flag's event), none of the others'",
  );
  for (const r of accepted('/only-b')) new Webhook(filtered.secret).verify(r.body, r.headers);
});

t.test('a webhook made later starts from now; a scheduled change announces itself as a schedule', async (t) => {
  await createWebhook({ url: `${receiver.url}/later`, environments: ['dev'] });
  const at = new Date(Date.now() + 60_000).toISOString();
  const schedule = await byAdmin('POST', '/v1/schedules', { environment: 'dev', changes: [{ flag: 'cw_a', set: { enabled: true } }], at });
  await byAdmin('DELETE', `/v1/schedules/${schedule.id}`);
  await waitFor('both deliveries', async () => accepted('/later').length >= 2);
  t.same(summary('/later'), ['change-request.scheduled Scheduled change', 'change-request.cancelled Scheduled change'], 'nothing from before it was made');
  t.match(bodyOf(accepted('/later')[0]!), { changeRequest: { kind: 'schedule', state: 'scheduled', scheduledAt: at } });
});

t.test('a Slack webhook gets one line per state change, every name escaped', async (t) => {
  await createWebhook({ url: `${receiver.url}/slack`, format: 'slack', environments: ['staging'] });
  const opened = await byAdmin('POST', '/v1/change-requests', {
    environment: 'staging',
    title: '<!channel> <http://evil.example|click> & co',
    changes: [{ flag: 'cw_a', set: { enabled: true } }],
  });
  await byReviewer('POST', `/v1/change-requests/${opened.id}/approve`);
  await waitFor('both Slack messages', async () => accepted('/slack').length >= 2);
  const texts = accepted('/slack').map((r) => bodyOf(r).text as string);
  t.match(texts[0], /^Change request \*&lt;!channel&gt; &lt;http:\/\/evil\.example\|click&gt; &amp; co\* opened in \*staging\* by token:/);
  t.match(texts[1], /approved in \*staging\* by token:reviewer \(1 of 1 approvals\)$/);
  t.ok(texts.every((text) => !text.includes('<!channel>')), 'no mention reaches Slack');
  await worker.close();
});
