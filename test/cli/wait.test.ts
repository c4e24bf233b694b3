import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { spawnNotifierProcess, startTestNotifier } from '../helpers/notifier.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/worker.js';
import { installPackedCli } from './support/packed-cli.js';

/*
 * `flagship wait` (the packed CLI) against GET /v1/environments/{env}/relayed,
 * with two notifiers: one in this process, one a process of its own that is
 * killed. Each reads PostgreSQL through its own proxy, so a test can hold one
 * back (cut) while the other relays.
 */

t.setTimeout(300_000);
const env = await createTestEnvironment(t, 'cli-wait');
const api = await startTestApi(t, env);
const admin = env.adminSecret;
const proxyA = await new TcpProxy('127.0.0.1', 5432).start();
const proxyB = await new TcpProxy('127.0.0.1', 5432).start();
t.teardown(() => proxyA.close());
t.teardown(() => proxyB.close());
const [cli, notifierA, notifierB] = await Promise.all([
  installPackedCli(t),
  startTestNotifier(t, env, { databaseUrl: viaProxy(env.config.databaseUrl, proxyA.port) }),
  spawnNotifierProcess(t, env, { databaseUrl: viaProxy(env.config.databaseUrl, proxyB.port) }),
]);
const connected = { FLAGSHIP_URL: api.url, FLAGSHIP_TOKEN: admin };
/** The installed package's run() in this process (the packed code the bin runs; a process start costs seconds on a loaded machine). */
const flagship = (args: string[]) => cli.startInProcess(args, { env: connected });

interface Relay {
  environment: string;
  version: number | null;
  currentVersion: number;
  notifiers: Array<{ id: string; version: number | null }>;
}
async function relay(): Promise<Relay> {
  const response = await api.request('GET', '/v1/environments/prod/relayed', { token: admin });
  if (response.status !== 200) throw new Error(`GET relayed: ${response.status} ${response.text}`);
  return response.body as Relay;
}
async function change(enabled: boolean): Promise<number> {
  const response = await api.request('PATCH', '/v1/flags/checkout/environments/prod', { token: admin, body: { enabled } });
  if (response.status !== 200) throw new Error(`PATCH: ${response.status} ${response.text}`);
  return response.body.version as number;
}

const created = await api.request('POST', '/v1/flags', { token: admin, body: { key: 'checkout' } });
if (created.status !== 201) throw new Error(created.text);
const first = await change(true);
await waitFor('both notifiers to report', async () => {
  const { notifiers } = await relay();
  return notifiers.length === 2 && notifiers.every((notifier) => (notifier.version ?? -1) >= first);
});

t.test('a version already relayed passes at once', async (t) => {
  const done = await flagship(['wait', '--env', 'prod', '--version', String(first), '--timeout', '60s']).done;
  t.equal(done.code, 0, done.stderr);
  t.match(done.stdout, new RegExp(`prod version ${first} relayed by every live notifier \\(2\\)`));
});

t.test('the relay names each live notifier and the lowest version all of them relayed; only admins may read it', async (t) => {
  const seen = await relay();
  t.equal(seen.notifiers.length, 2);
  t.equal(seen.version, first);
  t.equal(seen.currentVersion, first);
  t.equal((await api.request('GET', '/v1/environments/prod/relayed')).status, 401);
  t.equal((await api.request('GET', '/v1/environments/nowhere/relayed', { token: admin })).status, 404);
});

t.test('?atLeast= holds the answer until every notifier relayed that version; waitMs bounds it', async (t) => {
  const current = (await relay()).currentVersion;
  let answered = false;
  const held = api.request('GET', `/v1/environments/prod/relayed?atLeast=${current + 1}&waitMs=20000`, { token: admin }).finally(() => (answered = true));
  // A request made after the held one is answered first: the held one waits for the relay.
  t.equal((await relay()).version, current);
  t.notOk(answered, 'not answered while no notifier relayed the version');
  const patched = await api.request('PATCH', '/v1/flags/checkout/environments/prod', { token: admin, body: { rollout: 50 } });
  const version = patched.body.version as number;
  t.equal(version, current + 1);
  const response = await held;
  t.equal(response.status, 200, response.text);
  t.match(response.body, { version, notifiers: [{ version }, { version }] }, 'answered with the relay of that version by both');

  const short = await api.request('GET', `/v1/environments/prod/relayed?atLeast=${version + 5}&waitMs=50`, { token: admin });
  t.equal(short.status, 200, 'waitMs passed: the relay as it stands');
  t.equal(short.body.version, version);
  const cases: Array<[string, RegExp]> = [
    ['waitMs=100', /waitMs.*give atLeast/],
    ['atLeast=1&waitMs=25001', /waitMs.*at most 25000/],
    ['atLeast=soon', /atLeast.*whole number/],
  ];
  for (const [query, message] of cases) {
    const bad = await api.request('GET', `/v1/environments/prod/relayed?${query}`, { token: admin });
    t.equal(bad.status, 400, query);
    t.match(bad.text, message, query);
  }
});

t.test('wait returns once every notifier relayed the version, not before', async (t) => {
  proxyA.cut();
  const version = await change(false);
  // B relays; A cannot read the change while its PostgreSQL is cut.
  await waitFor('notifier B to relay', async () => (await relay()).notifiers.some((notifier) => notifier.version === version));
  const behind = await relay();
  t.equal(behind.version, version - 1, 'the relay is the lowest: A is behind');

  const early = await flagship(['wait', '--env', 'prod', '--version', String(version), '--timeout', '2s']).done;
  t.equal(early.code, 1, 'while A is behind, wait does not return 0');
  t.match(early.stderr, new RegExp(`error: timed out after 2000 ms waiting for prod version ${version}: 1 of 2 notifiers behind: [0-9a-f-]+ at ${version - 1}`));

  const waiting = flagship(['wait', '--env', 'prod', '--version', String(version), '--timeout', '90s']);
  proxyA.restore();
  const done = await waiting.done;
  t.equal(done.code, 0, done.stderr);
  t.match(done.stdout, new RegExp(`prod version ${version} relayed by every live notifier \\(2\\)`));
  await notifierA.relayed('prod', version);
  t.equal((await relay()).version, version);
});

t.test('wait returns right after the last relay (measured, not asserted)', async (t) => {
  const current = (await relay()).currentVersion;
  // Waiting for the next version: its request is held before the change exists.
  const waiting = flagship(['wait', '--env', 'prod', '--version', String(current + 1), '--timeout', '90s', '--json']);
  await waitFor('the wait to start polling', async () => !waiting.running() || waiting.output().stderr.includes(`waiting for prod version ${current + 1}`));
  const changedAt = Date.now();
  const version = await change(true);
  t.equal(version, current + 1);
  const done = await waiting.done;
  const tookMs = Date.now() - changedAt;
  t.equal(done.code, 0, done.stderr);
  t.match(JSON.parse(done.stdout), { environment: 'prod', version, notifiers: [{ version }, { version }] });
  t.comment(`wait exited ${tookMs} ms after the write's response (relay by two notifiers, their reports, one held HTTP answer); npm run bench -- --only=gate measures it`);
});

t.test('a killed notifier stops counting once its report expires: wait does not block forever', async (t) => {
  proxyB.cut();
  const version = await change(false);
  await notifierA.relayed('prod', version);
  const blocked = await flagship(['wait', '--env', 'prod', '--version', String(version), '--timeout', '1s']).done;
  t.equal(blocked.code, 1, 'B is alive and behind: wait does not pass');
  t.match(blocked.stderr, /1 of 2 notifiers behind/);

  const waiting = flagship(['wait', '--env', 'prod', '--version', String(version), '--timeout', '90s']);
  await notifierB.kill('SIGKILL');
  const done = await waiting.done;
  t.equal(done.code, 0, `once B's report expires, wait passes: ${done.stderr}`);
  t.match(done.stdout, /relayed by every live notifier \(1\)/);
  t.equal((await relay()).notifiers.length, 1, 'the relay lists only A');
});

t.test('a notifier that closes leaves at once; with none, wait times out saying so', async (t) => {
  await notifierA.close();
  t.same((await relay()).notifiers, [], 'no live notifier');
  const alone = await flagship(['wait', '--env', 'prod', '--timeout', '1s']).done;
  t.equal(alone.code, 1);
  t.match(alone.stderr, /error: timed out after 1000 ms waiting for prod version \d+: no notifier is running/);
});
