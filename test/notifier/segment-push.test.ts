import t from 'tap';
import { FlagShipClient, type FlagShipChange } from '../../packages/sdk/index.js';
import { SegmentChangeSchema } from '../../shared/schemas/socket.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { waitFor } from '../helpers/worker.js';
import { createSdkToken, rawSocket } from './socket-client.js';

const env = await createTestEnvironment(t, 'notifier-segment-push');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;

const constraint = (domain: string) => ({ contextName: 'email', operator: 'STR_ENDS_WITH', values: [domain] });

await request('POST', '/v1/flags', { token: admin, body: { key: 'checkout' } });
const sdk = await createSdkToken(request, admin, 'prod');

t.test('segment edits reach connected SDKs in order, each with its environment version, and the SDK holds the result', async (t) => {
  const client = new FlagShipClient({ url: notifier.url, token: sdk.secret });
  t.teardown(() => client.close());
  const seen: FlagShipChange[] = [];
  client.on('change', (change) => {
    if (change.source === 'change') seen.push(change);
  });
  await client.ready();
  const socket = rawSocket(notifier.url, { token: sdk.secret });
  t.teardown(socket.close);
  await socket.next('flags:synced');
  const startVersion = client.version!;

  const created = await request('POST', '/v1/segments', { token: admin, body: { name: 'staff', constraints: [constraint('@acme.com')] } });
  t.equal(created.status, 201);
  const id = created.body.id;
  for (const domain of ['@acme.org', '@acme.net', '@acme.io']) {
    const changed = await request('PATCH', `/v1/segments/${id}`, { token: admin, body: { constraints: [constraint(domain)] } });
    t.equal(changed.status, 200);
  }
  // A flag using it, in this environment: the flag and segment changes interleave in one order.
  const put = await request('PUT', '/v1/flags/checkout/environments/prod', {
    token: admin,
    body: { enabled: true, strategies: [{ name: 'default', segments: [id] }] },
  });
  t.equal(put.status, 200, put.text);
  const deletedWhileUsed = await request('DELETE', `/v1/segments/${id}`, { token: admin });
  t.equal(deletedWhileUsed.status, 409);
  await request('PUT', '/v1/flags/checkout/environments/prod', { token: admin, body: { enabled: true, strategies: [] } });
  const deleted = await request('DELETE', `/v1/segments/${id}`, { token: admin });
  t.equal(deleted.status, 200);

  const expected = 7; // created, 3 edits, the flag, the flag again, deleted
  await waitFor('every change at the SDK', async () => seen.length >= expected);
  t.same(seen.map((change) => change.version), Array.from({ length: expected }, (_, index) => startVersion + 1 + index), 'gap-free and in order');
  t.same(
    seen.map((change) => (change.segments[0] ? `segment:${change.segments[0].constraints[0]?.values?.[0] ?? ''}:${change.segments[0].deleted}` : `flag:${change.flags[0]!.key}`)),
    ['segment:@acme.com:false', 'segment:@acme.org:false', 'segment:@acme.net:false', 'segment:@acme.io:false', 'flag:checkout', 'flag:checkout', 'segment:@acme.io:true'],
  );
  t.same(client.snapshot()!.segments, [], 'the deleted segment is gone from the SDK');
  t.same(client.stats.gapsDetected, 0);

  await waitFor('every change on the raw socket', async () => socket.changeVersions().length >= expected);
  t.same(socket.changeVersions(), seen.map((change) => change.version));
  const segmentMessages = socket.received.filter((entry) => entry.event === 'flags:change' && 'segment' in entry.payload);
  t.equal(segmentMessages.length, 5);
  for (const entry of segmentMessages) {
    t.ok(SegmentChangeSchema.safeParse(entry.payload).success, 'flags:change { environment, version, segment }');
    t.equal((entry.payload as { environment: string }).environment, 'prod');
  }
});

t.test('a reconnecting SDK is replayed the segment changes it missed; a new one gets them in its snapshot', async (t) => {
  const before = (await request('GET', '/v1/environments', { token: admin })).body.environments.find(
    (environment: { key: string }) => environment.key === 'prod',
  ).version as number;
  const created = await request('POST', '/v1/segments', { token: admin, body: { name: 'beta', constraints: [constraint('@beta.com')] } });
  await request('PATCH', `/v1/segments/${created.body.id}`, { token: admin, body: { description: 'beta testers' } });
  await notifier.relayed('prod', before + 2);

  const replayed = rawSocket(notifier.url, { token: sdk.secret, since: before });
  t.teardown(replayed.close);
  await replayed.next('flags:synced');
  t.same(replayed.received.map((entry) => entry.event), ['flags:change', 'flags:change', 'flags:synced']);
  t.same(replayed.changeVersions(), [before + 1, before + 2]);
  t.match(replayed.received[1]!.payload, { segment: { id: created.body.id, description: 'beta testers' } });

  const fresh = new FlagShipClient({ url: notifier.url, token: sdk.secret });
  t.teardown(() => fresh.close());
  await fresh.ready();
  t.match(fresh.snapshot()!.segments, [{ id: created.body.id, name: 'beta', description: 'beta testers' }]);

  const cached = await request('GET', '/v1/client/flags', { token: sdk.secret });
  t.match(cached.body.segments, [{ id: created.body.id, description: 'beta testers' }], 'the HTTP snapshot carries segments too');
});
