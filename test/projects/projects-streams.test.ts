import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { eventually } from '../evaluation/fixtures.js';
import { openEventStream } from '../ofrep/event-stream-client.js';

/*
 * The pushed HTTP channels of a token of one project, end to end (REST change
 * → NOTIFY → notifier → the API's snapshot cache → the streams): OFREP's event
 * stream and Unleash's streaming API never carry, nor react to, another
 * project's change; a flag moved out of the token's project leaves every
 * channel (REST snapshot and its ETag, OFREP, Unleash streaming as a
 * feature-removed naming the old project). Absence is shown without timing:
 * after another project's change, the next message a stream gets is the one
 * for its own project's later change.
 */

const env = await createTestEnvironment(t, 'projects-streams');
const api = await startTestApi(t, env, { snapshots: 'cache' });
await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;

for (const key of ['web', 'mobile']) await request('POST', '/v1/projects', { token: admin, body: { key } });
for (const [key, project] of [['web_banner', 'web'], ['web_moving', 'web'], ['mobile_secret', 'mobile']] as const) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, project, environments: { prod: { enabled: true, rollout: 100 } } } });
  if (created.status !== 201) throw new Error(created.text);
}
const webToken = (await request('POST', '/v1/tokens', { token: admin, body: { name: 'web', kind: 'sdk', environment: 'prod', projects: ['web'] } })).body.secret as string;
const webFrontend = (await request('POST', '/v1/tokens', { token: admin, body: { name: 'web-fe', kind: 'frontend', environment: 'prod', projects: ['web'] } })).body.secret as string;

const setRollout = async (key: string, rollout: number): Promise<number> => {
  const changed = await request('PATCH', `/v1/flags/${key}/environments/prod`, { token: admin, body: { rollout } });
  if (changed.status !== 200) throw new Error(changed.text);
  return changed.body.version as number;
};
/** Waits until the API's snapshot cache holds `version` (the streams are told from it). */
const settled = (version: number) => eventually(() => api.snapshots.get('prod'), (snapshot) => snapshot.version >= version);

/** An SSE response read block by block (comments skipped), each taken once. */
function sseReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next(): Promise<{ event: string; id: string; data: string }> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) continue;
          const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
          return { event: field('event'), id: field('id'), data: field('data') };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += value;
      }
    },
    close: () => void reader.cancel().catch(() => undefined),
  };
}

t.test('OFREP event stream: another project\'s change is not told; its own is; a move out is', async (t) => {
  const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: webFrontend, body: { context: { targetingKey: 'u' } } });
  t.same(bulk.body.flags.map((flag: { key: string }) => flag.key).sort(), ['web_banner', 'web_moving']);
  const stream = openEventStream(bulk.body.eventStreams[0].url);
  t.teardown(() => stream.close());
  await stream.next();

  const mobileVersion = await setRollout('mobile_secret', 11);
  await settled(mobileVersion);
  const webVersion = await setRollout('web_banner', 12);
  const told = await stream.next();
  t.equal(told.data.etag, `"${webVersion}"`, 'the next message is its own project\'s change; the mobile change was not told');

  const moved = await request('PATCH', '/v1/flags/web_moving', { token: admin, body: { project: 'mobile' } });
  t.equal(moved.status, 200, 'moved');
  const afterMove = await stream.next();
  t.ok(Number(afterMove.id) > webVersion, 'a move out of its project is told (its answers change)');
  const again = await request('POST', '/ofrep/v1/evaluate/flags', { token: webFrontend, body: { context: { targetingKey: 'u' } } });
  t.same(again.body.flags.map((flag: { key: string }) => flag.key), ['web_banner'], 'the moved flag is gone from the next answer');
  t.equal((await request('POST', '/ofrep/v1/evaluate/flags/web_moving', { token: webFrontend, body: { context: { targetingKey: 'u' } } })).status, 404);
  t.notMatch(again.text, /mobile/);
  // Back for the next test.
  t.equal((await request('PATCH', '/v1/flags/web_moving', { token: admin, body: { project: 'web' } })).status, 200);
});

t.test('Unleash streaming: hydration and updates of its project only; a move out is a feature-removed naming the old project', async (t) => {
  const open = (lastEventId?: string) =>
    fetch(`${api.url}/api/client/streaming`, { headers: { authorization: webToken, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } });
  const response = await open();
  t.equal(response.status, 200);
  const stream = sseReader(response);
  t.teardown(stream.close);
  const connected = await stream.next();
  t.equal(connected.event, 'unleash-connected');
  const hydration = JSON.parse(connected.data).events[0];
  t.same(hydration.features.map((feature: { name: string }) => feature.name).sort(), ['web_banner', 'web_moving']);
  t.notMatch(connected.data, /mobile/);

  await settled(await setRollout('mobile_secret', 21));
  const webVersion = await setRollout('web_banner', 22);
  const updated = await stream.next();
  t.equal(updated.event, 'unleash-updated');
  t.equal(updated.id, String(webVersion), 'the next update is its own project\'s; the mobile change sent nothing');
  t.same(JSON.parse(updated.data).events.map((event: { type: string; feature?: { name: string } }) => [event.type, event.feature?.name]), [['feature-updated', 'web_banner']]);

  const moved = await request('PATCH', '/v1/flags/web_moving', { token: admin, body: { project: 'mobile' } });
  t.equal(moved.status, 200, 'moved');
  const removal = await stream.next();
  t.same(JSON.parse(removal.data).events.map((event: { type: string; featureName?: string; project?: string }) => [event.type, event.featureName, event.project]), [['feature-removed', 'web_moving', 'web']], 'removed, naming the project it knew');
  t.notMatch(removal.data, /mobile/, 'it never learns the new project');

  // A reconnect with Last-Event-ID after the move: a hydration of its project, without the moved flag.
  const resumed = sseReader(await open(updated.id));
  t.teardown(resumed.close);
  const rehydrated = await resumed.next();
  t.same(JSON.parse(rehydrated.data).events[0].features.map((feature: { name: string }) => feature.name), ['web_banner']);
  t.notMatch(rehydrated.data, /mobile/);
});

t.test('the REST snapshot and its ETag follow a move out; Unleash\'s client API too', async (t) => {
  const before = await request('GET', '/v1/client/flags', { token: webToken });
  t.same(before.body.flags.map((flag: { key: string }) => flag.key), ['web_banner']);
  t.equal((await request('PATCH', '/v1/flags/web_moving', { token: admin, body: { project: 'web' } })).status, 200);
  await eventually(() => request('GET', '/v1/client/flags', { token: webToken, headers: { 'if-none-match': before.headers.get('etag')! } }), (answer) => answer.status === 200);
  const back = await request('GET', '/v1/client/flags', { token: webToken });
  t.same(back.body.flags.map((flag: { key: string }) => flag.key), ['web_banner', 'web_moving'], 'moved in: there');
  await settled(await setRollout('mobile_secret', 31));
  const later = await request('GET', '/v1/client/flags', { token: webToken });
  t.same(later.body.flags, back.body.flags, 'another project\'s change leaves its flags as they were');
  t.notMatch(later.text, /mobile/);
  const features = await request('GET', '/api/client/features', { headers: { authorization: webToken } });
  t.same(features.body.features.map((feature: { name: string }) => feature.name), ['web_banner', 'web_moving']);
});
