import t from 'tap';
import { startSession } from '../../shared/domain/people/session-service.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { bodyOf, startTestWebhookWorker, webhookClient } from '../helpers/webhooks.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/worker.js';
import { SESSION_COOKIE } from './support/people.js';

/*
 * Webhooks name who made a change as the audit log does: the actor object
 * of the change event (a person by session and by personal token, a token),
 * and the Slack text its label.
 */

const env = await createTestEnvironment(t, 'people-webhook-actor');
const { request } = await startTestApi(t, env, { allowPrivateWebhooks: true });
const admin = env.adminSecret;
const receiver = await startWebhookReceiver(t);
const { createWebhook, createFlag } = webhookClient(request, admin);

t.test('a person’s change reaches webhooks naming them; a token’s names the token', async (t) => {
  await startTestWebhookWorker(t, env);
  await createWebhook({ url: `${receiver.url}/json`, environments: ['prod'] });
  await createWebhook({ url: `${receiver.url}/slack`, environments: ['prod'], format: 'slack' });
  await createFlag('who_flag');

  const created = await request('POST', '/v1/users', { token: admin, body: { email: 'ana@example.com', name: 'Ana', roles: [{ role: 'editor', project: '*' }] } });
  t.equal(created.status, 201);
  const session = await startSession(env.pool, created.body.id, { method: 'password' });
  const cookie = `${SESSION_COOKIE}=${session.cookieValue}`;
  const csrf = (await request('GET', '/v1/me', { headers: { cookie } })).body.csrfToken as string;
  const bySession = await request('PATCH', '/v1/flags/who_flag/environments/prod', { headers: { cookie, 'x-flagship-csrf': csrf }, body: { rollout: 10 } });
  t.equal(bySession.status, 200);
  const personal = await request('POST', '/v1/me/tokens', { headers: { cookie, 'x-flagship-csrf': csrf }, body: { name: 'ana cli' } });
  t.equal((await request('PATCH', '/v1/flags/who_flag/environments/prod', { token: personal.body.secret, body: { rollout: 20 } })).status, 200);
  t.equal((await request('PATCH', '/v1/flags/who_flag/environments/prod', { token: admin, body: { rollout: 30 } })).status, 200);

  const updates = await waitFor('the three updates at /json', async () => {
    const bodies = receiver.requests.filter((r) => r.path === '/json' && r.status === 200).map(bodyOf).filter((body) => body.type === 'flag.updated');
    return bodies.length >= 3 && bodies;
  });
  const ana = { type: 'user', id: created.body.id, name: 'Ana', email: 'ana@example.com' };
  t.same(updates.map((body) => body.actor), [ana, ana, { type: 'token', id: (await request('GET', '/v1/tokens', { token: admin })).body.tokens[0].id, name: 'FLAGSHIP_ADMIN_TOKEN' }]);
  const slack = await waitFor('the three updates at /slack', async () => {
    const texts = receiver.requests.filter((r) => r.path === '/slack' && r.status === 200).map((r) => bodyOf(r).text as string).filter((text) => text.includes('updated'));
    return texts.length >= 3 && texts;
  });
  t.match(slack[0], /by user:ana@example\.com/);
  t.match(slack[2], /by token:FLAGSHIP_ADMIN_TOKEN/);
});
