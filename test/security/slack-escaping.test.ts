import t from 'tap';
import type { SingleEventPayload as WebhookEventPayload } from '../../shared/domain/webhooks/payload.js';
import { slackText } from '../../shared/domain/webhooks/payload.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { bodyOf, startTestWebhookWorker, webhookClient } from '../helpers/webhooks.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/worker.js';

/*
 * Slack reads `<…>` as mentions and links and `&` as an entity: a token or
 * segment named `<!channel>` must not notify a channel, nor a disguised link
 * `<http://evil|click>` show as "click". Every name in a Slack message is
 * escaped as Slack documents (& < > as entities).
 */

const HOSTILE = '<!channel> <http://evil.example|click> & <@U123>';
const ESCAPED = '&lt;!channel&gt; &lt;http://evil.example|click&gt; &amp; &lt;@U123&gt;';

const env = await createTestEnvironment(t, 'slack-escaping');
const { request } = await startTestApi(t, env, { allowPrivateWebhooks: true });
const admin = env.adminSecret;
const { call, createWebhook, createFlag, setRollout } = webhookClient(request, admin);
const receiver = await startWebhookReceiver(t);
const accepted = (path: string) => receiver.accepted().filter((r) => r.path === path);

t.test('names from users arrive escaped in a Slack message: a token name (actor) and a segment name', async (t) => {
  const worker = await startTestWebhookWorker(t, env);
  await createWebhook({ url: `${receiver.url}/slack`, environments: ['prod'], format: 'slack' });
  await createWebhook({ url: `${receiver.url}/json`, environments: ['prod'] });
  const token = await call('POST', '/v1/tokens', { name: HOSTILE, kind: 'admin' }, 201);
  await createFlag('escaped', { prod: { enabled: true } });
  const changed = await request('PATCH', '/v1/flags/escaped/environments/prod', { token: token.secret, body: { rollout: 30 } });
  t.equal(changed.status, 200);
  // No segment route is needed: the trigger records a change however the row is written.
  await env.pool.query(`insert into segment (name) values ($1)`, [HOSTILE]);

  await waitFor('the three Slack messages', async () => accepted('/slack').length >= 3);
  const texts = accepted('/slack').map((r) => bodyOf(r).text as string);
  t.match(texts[1], `by token:${ESCAPED}: rollout`, 'the actor (a token name) is escaped');
  t.match(texts[2], `Segment \`${ESCAPED}\` created`, 'the segment name is escaped');
  for (const text of texts) t.notMatch(text, /<|>/, `no raw < or > reaches Slack: ${text}`);

  // The JSON format carries the names as they are.
  await waitFor('the JSON events', async () => accepted('/json').length >= 3);
  t.match(bodyOf(accepted('/json')[1]!).actor, { type: 'token', name: HOSTILE }, 'the actor object, as /v1/events has it');
  t.equal(bodyOf(accepted('/json')[2]!).after.name, HOSTILE);
  await worker.close();
});

t.test('every user-controlled text of the Slack format is escaped (flag, environment, actor, segment name)', async (t) => {
  // Real events as delivered, with each name replaced by the hostile one in turn.
  const [flagEvent, segmentEvent] = [accepted('/json')[1]!, accepted('/json')[2]!].map((r) => bodyOf(r) as WebhookEventPayload);
  const cases: Array<[string, WebhookEventPayload]> = [
    ['flag', { ...flagEvent!, flag: HOSTILE } as WebhookEventPayload],
    ['environment', { ...flagEvent!, environment: HOSTILE }],
    ['actor', { ...flagEvent!, actor: { type: 'user', id: 'u', name: HOSTILE } }],
    ['actor email', { ...flagEvent!, actor: { type: 'user', id: 'u', name: 'Ana', email: HOSTILE } }],
    ['type (unknown types are shown as they are)', { ...flagEvent!, type: HOSTILE }],
    ['segment environment', { ...segmentEvent!, environment: HOSTILE }],
    ['segment name', { ...segmentEvent!, after: { ...(segmentEvent as { after: object }).after, name: HOSTILE } } as WebhookEventPayload],
  ];
  for (const [field, payload] of cases) {
    const text = slackText(payload);
    t.match(text, ESCAPED, field);
    t.notMatch(text, /<|>/, `${field}: no raw < or >`);
  }
  t.match(slackText({ ...flagEvent!, actor: { type: 'token', id: 'u', name: 'Tom & Jerry' } }), 'by token:Tom &amp; Jerry', 'a lone & is escaped too');
});
