import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';
import { waitFor } from '../helpers/worker.js';

interface Frame {
  id?: string;
  event: string;
  data: any;
}

const env = await createTestEnvironment(t, 'admin-stream');
await startTestNotifier(t, env);
const api = await startTestApi(t, env, { snapshots: 'cache' });

/** Opens GET /v1/stream and collects its frames until closed. */
async function openStream(token: string, after?: string) {
  const controller = new AbortController();
  const response = await fetch(`${api.url}/v1/stream${after === undefined ? '' : `?after=${encodeURIComponent(after)}`}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const frames: Frame[] = [];
  let ended = false;
  const done = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: Frame = { event: 'message', data: undefined };
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6));
          }
          if (frame.data !== undefined) frames.push(frame);
        }
      }
    } catch {
      // aborted
    }
    ended = true;
  })();
  t.teardown(() => controller.abort());
  const changes = () => frames.filter((frame) => frame.event === 'change');
  return { response, frames, changes, close: () => controller.abort(), done, get ended() { return ended; } };
}

const admin = env.adminSecret;

t.test('refuses what is not an admin token, and a malformed cursor names it', async (t) => {
  const sdk = await createSdkToken(api.request, admin, 'prod');
  t.equal((await api.request('GET', '/v1/stream', { token: sdk.secret })).status, 403);
  t.equal((await api.request('GET', '/v1/stream')).status, 401);
  const bad = await api.request('GET', '/v1/stream?after=prod-12', { token: admin });
  t.equal(bad.status, 400);
  t.match(bad.body.error.message, /after/);
});

t.test('every change of every environment, live, in gap-free version order per environment', async (t) => {
  const stream = await openStream(admin);
  t.equal(stream.response.status, 200);
  t.match(stream.response.headers.get('content-type'), /text\/event-stream/);
  await waitFor('the ready event', async () => stream.frames[0]?.event === 'ready');
  const start = stream.frames[0]!.data.cursor as Record<string, number>;
  t.same(Object.keys(start).sort(), ['dev', 'prod', 'staging']);
  t.equal(stream.frames[0]!.data.resumed, false);

  for (const key of ['s-one', 's-two', 's-three']) {
    t.equal((await api.request('POST', '/v1/flags', { token: admin, body: { key } })).status, 201);
  }
  // Concurrent writes across environments: each environment's versions must still arrive in order.
  const writes = [];
  for (let round = 0; round < 10; round += 1) {
    for (const environment of ['dev', 'prod', 'staging']) {
      writes.push(api.request('PATCH', `/v1/flags/s-${['one', 'two', 'three'][round % 3]}/environments/${environment}`, { token: admin, body: { rollout: round } }));
    }
  }
  const answers = await Promise.all(writes);
  t.ok(answers.every((answer) => answer.status === 200), 'every write was accepted');
  const expected = 9 + writes.length;
  await waitFor(`${expected} change events`, async () => stream.changes().length >= expected);
  t.equal(stream.changes().length, expected, 'each change exactly once');
  for (const environment of ['dev', 'prod', 'staging']) {
    const versions = stream.changes().filter((frame) => frame.data.environment === environment).map((frame) => frame.data.version);
    const from = start[environment]!;
    t.same(versions, versions.map((_, index) => from + index + 1), `${environment}: versions ${from + 1}… with no gap, in order`);
  }
  // The writes ran concurrently, so which came last is not fixed: each event must carry what its write answered.
  const answered = new Map(answers.map((answer) => [`${answer.body.environment}:${answer.body.version}`, answer.body.rollout]));
  const written = stream.changes().filter((frame) => answered.has(`${frame.data.environment}:${frame.data.version}`));
  t.equal(written.length, writes.length, 'every write is in the stream');
  t.ok(
    written.every(
      (frame) =>
        frame.data.actor.type === 'token' && frame.data.actor.name === 'FLAGSHIP_ADMIN_TOKEN' &&
        frame.data.after.rollout === answered.get(`${frame.data.environment}:${frame.data.version}`),
    ),
    'events carry actor and after',
  );
  stream.close();
});

t.test('resumes from the id of the last event received: exactly what was missed', async (t) => {
  const first = await openStream(admin);
  await waitFor('ready', async () => first.frames[0]?.event === 'ready');
  await api.request('PATCH', '/v1/flags/s-one/environments/prod', { token: admin, body: { rollout: 50 } });
  await waitFor('the first change', async () => first.changes().length === 1);
  const cursor = first.changes()[0]!.id!;
  first.close();

  await api.request('PATCH', '/v1/flags/s-one/environments/prod', { token: admin, body: { rollout: 60 } });
  await api.request('PATCH', '/v1/flags/s-two/environments/dev', { token: admin, body: { rollout: 61 } });
  const resumed = await openStream(admin, cursor);
  await waitFor('ready', async () => resumed.frames[0]?.event === 'ready');
  t.equal(resumed.frames[0]!.data.resumed, true);
  await waitFor('the two missed changes', async () => resumed.changes().length >= 2);
  await api.request('PATCH', '/v1/flags/s-two/environments/dev', { token: admin, body: { rollout: 62 } });
  await waitFor('the live one after them', async () => resumed.changes().length >= 3);
  const seen = (environment: string) =>
    resumed.changes().filter((frame) => frame.data.environment === environment).map((frame) => [frame.data.flag, frame.data.after.rollout]);
  // Order holds per environment (versions); across environments it is not defined.
  t.same(seen('prod'), [['s-one', 60]], 'prod: the missed change, once');
  t.same(seen('dev'), [['s-two', 61], ['s-two', 62]], 'dev: the missed change, then the live one; nothing twice');
  t.equal(resumed.changes().length, 3);
  resumed.close();
});

t.test("a revoked token's stream ends with an error event", async (t) => {
  const created = await api.request('POST', '/v1/tokens', { token: admin, body: { name: 'short-lived', kind: 'admin' } });
  const stream = await openStream(created.body.secret);
  await waitFor('ready', async () => stream.frames[0]?.event === 'ready');
  t.equal((await api.request('DELETE', `/v1/tokens/${created.body.token.id}`, { token: admin })).status, 200);
  await waitFor('the stream to end', async () => stream.ended, 10_000);
  t.match(stream.frames.at(-1), { event: 'error', data: { code: 'unauthorized' } });
});
