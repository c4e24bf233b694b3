import t from 'tap';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { waitFor } from '../helpers/worker.js';
import { connectError, rawSocket, type Received } from '../notifier/socket-client.js';

/*
 * Socket.IO with tokens of some projects: the snapshot, live changes, a
 * replay after a reconnect with `since`, and a move, never carry another
 * project's flag or segment (nor its key), and `previous` lets the client
 * tell a missed change from another project's version.
 */

const env = await createTestEnvironment(t, 'projects-socket');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;

for (const key of ['web', 'mobile']) await request('POST', '/v1/projects', { token: admin, body: { key } });
await request('POST', '/v1/segments', { token: admin, body: { name: 'mobile-list', project: 'mobile', constraints: [{ contextName: 'userId', operator: 'IN', values: ['mobile-user-1'] }] } });
for (const [key, project] of [['web_banner', 'web'], ['web_moving', 'web'], ['mobile_secret', 'mobile']] as const) {
  await request('POST', '/v1/flags', { token: admin, body: { key, project, environments: { prod: { enabled: true, rollout: 100 } } } });
}
const tokenOf = async (projects?: string[]) =>
  (await request('POST', '/v1/tokens', { token: admin, body: { name: 'sdk', kind: 'sdk', environment: 'prod', ...(projects ? { projects } : {}) } })).body.secret as string;
const webToken = await tokenOf(['web']);
const mobileToken = await tokenOf(['mobile']);
const everyToken = await tokenOf();

const texts = (received: Received[]) => received.map((entry) => JSON.stringify(entry.payload)).join('\n');
const changes = (received: Received[]) => received.flatMap((entry) => (entry.event === 'flags:change' ? [entry.payload] : []));
const setRollout = (key: string, rollout: number) => request('PATCH', `/v1/flags/${key}/environments/prod`, { token: admin, body: { rollout } });

t.test('a socket of one project: its snapshot, its changes with previous, nothing of the other project', async (t) => {
  const web = rawSocket(notifier.url, { token: webToken });
  const every = rawSocket(notifier.url, { token: everyToken });
  t.teardown(() => { web.close(); every.close(); });
  await Promise.all([web.next('flags:synced'), every.next('flags:synced')]);
  const snapshot = web.received[0]!;
  t.equal(snapshot.event, 'flags:snapshot');
  const start = (snapshot.payload as { version: number }).version;
  t.same((snapshot.payload as { flags: Array<{ key: string }> }).flags.map((flag) => flag.key), ['web_banner', 'web_moving']);
  t.same((snapshot.payload as { segments: unknown[] }).segments, [], 'no segment of another project');

  t.equal((await setRollout('mobile_secret', 10)).status, 200);
  t.equal((await setRollout('mobile_secret', 20)).status, 200);
  t.equal((await setRollout('web_banner', 30)).status, 200);
  await every.next('flags:change', 3);
  await web.next('flags:change', 1);
  const [change] = changes(web.received);
  t.equal(change!.version, start + 3);
  t.equal(change!.previous, start, 'previous: the version it started from, across the other project\'s two');
  t.same(changes(every.received).map((seen) => seen.previous), [start, start + 1, start + 2], 'a socket of every project: previous is always the version before');
  t.notMatch(texts(web.received), /mobile/, 'not a key, not a segment of the other project');
});

t.test('a reconnect with since replays only its projects\' changes, chained by previous', async (t) => {
  const first = rawSocket(notifier.url, { token: webToken });
  await first.next('flags:synced');
  const since = (first.received.find((entry) => entry.event === 'flags:synced')!.payload as { version: number }).version;
  first.close();
  // A socket of every project tells when the notifier has relayed all five (the replay's end is the notifier's version).
  const every = rawSocket(notifier.url, { token: everyToken, since });
  t.teardown(every.close);
  await every.next('flags:synced');
  for (const [key, rollout] of [['mobile_secret', 31], ['web_banner', 32], ['mobile_secret', 33], ['web_banner', 34], ['mobile_secret', 35]] as const) {
    t.equal((await setRollout(key, rollout)).status, 200);
  }
  await every.next('flags:change', 5);
  const again = rawSocket(notifier.url, { token: webToken, since });
  t.teardown(again.close);
  await again.next('flags:synced');
  const replayed = changes(again.received);
  t.same(replayed.map((seen) => [seen.version, seen.previous]), [[since + 2, since], [since + 4, since + 2]], 'its two changes, each naming the one before');
  t.notOk(again.received.some((entry) => entry.event === 'flags:snapshot'), 'a replay, not a snapshot');
  t.notMatch(texts(again.received), /mobile/);
  const synced = again.received.at(-1)!;
  t.equal((synced.payload as { version: number }).version, since + 5, 'synced at the environment\'s version');
});

t.test('a flag moved out arrives as a removal (archived: true); moved in, as a change; the SDK follows without a gap', async (t) => {
  const web = rawSocket(notifier.url, { token: webToken });
  const mobile = rawSocket(notifier.url, { token: mobileToken });
  const client = new FlagShipClient({ url: notifier.url, token: webToken });
  t.teardown(() => { web.close(); mobile.close(); client.close(); });
  await Promise.all([web.next('flags:synced'), mobile.next('flags:synced'), client.ready()]);
  t.ok(client.snapshot()!.flags.some((flag) => flag.key === 'web_moving'));
  t.equal((await setRollout('mobile_secret', 40)).status, 200);

  const moved = await request('PATCH', '/v1/flags/web_moving', { token: admin, body: { project: 'mobile' } });
  t.equal(moved.status, 200, moved.text);
  t.equal(moved.body.project, 'mobile');
  await web.next('flags:change');
  await mobile.next('flags:change', 2);
  const removal = changes(web.received)[0]!;
  t.match(removal, { flag: { key: 'web_moving', archived: true, project: 'web' } }, 'the web socket: a removal, in the shape of an archive');
  const arrival = changes(mobile.received)[1]!;
  t.match(arrival, { flag: { key: 'web_moving', project: 'mobile' } }, 'the mobile socket: the flag as any change');
  t.notOk((arrival as { flag: { archived?: boolean } }).flag.archived);
  t.notMatch(texts(web.received), /mobile_secret|"mobile"/, 'the web socket never learns the new project or the other flags');

  await waitFor('the SDK dropped the moved flag', async () => !client.snapshot()!.flags.some((flag) => flag.key === 'web_moving'));
  t.equal((await setRollout('web_banner', 41)).status, 200);
  await waitFor('the SDK applied the next web change', async () => client.snapshot()!.flags.find((flag) => flag.key === 'web_banner')?.rollout === 41);
  t.equal(client.stats.gapsDetected, 0, 'other projects\' versions are no gap');
  t.equal(client.evaluate('mobile_secret', { key: 'mobile-user-1' }).reason, 'ERROR', 'the SDK cannot evaluate another project\'s flag');

  // The reconnect after the move: the flag stays gone.
  const since = (web.received.find((entry) => entry.event === 'flags:synced')!.payload as { version: number }).version;
  const again = rawSocket(notifier.url, { token: webToken, since });
  t.teardown(again.close);
  await again.next('flags:synced');
  t.match(changes(again.received).find((seen) => 'flag' in seen && seen.flag.key === 'web_moving'), { flag: { archived: true } }, 'replayed as the removal too');
  t.notMatch(texts(again.received), /mobile_secret/);
});

t.test('protocol 2 is refused, to a token of some projects as to a token of every project (it would apply half of a change request)', async (t) => {
  const refused = await connectError(notifier.url, { token: webToken, protocol: 2 });
  t.equal(refused.data?.code, 'unsupported_protocol');
  const everyRefused = await connectError(notifier.url, { token: everyToken, protocol: 2 });
  t.equal(everyRefused.data?.code, 'unsupported_protocol');
});
