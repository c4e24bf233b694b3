import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken, rawSocket, type RawSocket } from './socket-client.js';

// One change to an environment of many flags sends connected sockets that
// change, never the snapshot again: the frames are read as they arrive on the
// wire (Engine.IO's message packets), so an extra event or a fat payload
// would show.

const FLAGS = 300;
const env = await createTestEnvironment(t, 'notifier-change-frame');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');

const keys = Array.from({ length: FLAGS }, (_, index) => `wide-${String(index).padStart(3, '0')}`);
const imported = await request('POST', '/v1/import/unleash?environment=prod', {
  token: admin,
  body: {
    version: 2,
    features: keys.map((name) => ({
      name,
      enabled: true,
      strategies: [
        {
          name: 'flexibleRollout',
          parameters: { rollout: '50', stickiness: 'default', groupId: name },
          constraints: [{ contextName: 'country', operator: 'IN', values: ['NO', 'SE', 'DK'] }],
        },
      ],
    })),
  },
});
if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${imported.text}`);

/** A raw socket and every Socket.IO packet its connection carried, as sent. */
function recordingSocket(auth: { token: string; since?: number }): RawSocket & { frames: string[] } {
  const socket = rawSocket(notifier.url, auth);
  const frames: string[] = [];
  socket.socket.io.on('open', () => socket.socket.io.engine.on('data', (data: unknown) => frames.push(String(data))));
  return Object.assign(socket, { frames });
}

t.test('a change to an environment of many flags reaches connected sockets as that change alone', async (t) => {
  const fresh = recordingSocket({ token: sdk.secret });
  t.teardown(fresh.close);
  await fresh.next('flags:synced');
  const snapshotFrame = fresh.frames.find((frame) => frame.startsWith('2["flags:snapshot",'));
  t.ok(snapshotFrame, 'a socket without since got the snapshot');
  const synced = (fresh.received.find((entry) => entry.event === 'flags:synced')!.payload as { version: number }).version;
  // The relay may still be relaying the import when the socket joins (its snapshot is then the
  // relay's, a little behind): the rest reaches the socket live. Wait for all of it, so that
  // "resuming at the current version" below means the version PostgreSQL holds.
  const environments = await request('GET', '/v1/environments', { token: admin });
  const version: number = environments.body.environments.find((environment: { key: string }) => environment.key === 'prod').version;
  if (synced < version) await fresh.next('flags:change', version - synced);
  t.equal(fresh.changeVersions().at(-1) ?? synced, version, 'the socket holds the current version');

  const resumed = recordingSocket({ token: sdk.secret, since: version });
  t.teardown(resumed.close);
  await resumed.next('flags:synced');
  t.same(resumed.received.map((entry) => entry.event), ['flags:synced'], 'a socket resuming at the current version got no snapshot');

  const sockets = [fresh, resumed];
  const before = sockets.map((socket) => socket.frames.length);
  const changed = keys[FLAGS / 2]!;
  const response = await request('PATCH', `/v1/flags/${changed}/environments/prod`, { token: admin, body: { enabled: false } });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.status} ${response.text}`);
  await Promise.all(sockets.map((socket) => socket.next('flags:change')));

  for (const [index, socket] of sockets.entries()) {
    const frames = socket.frames.slice(before[index]);
    t.equal(frames.length, 1, 'one frame for one change');
    const frame = frames[0]!;
    t.ok(frame.startsWith('2["flags:change",'), 'the frame is a flags:change event');
    const [, payload] = JSON.parse(frame.slice(1)) as [string, Record<string, unknown>];
    t.same(Object.keys(payload).sort(), ['environment', 'flag', 'previous', 'version']);
    t.match(payload, { environment: 'prod', version: response.body.version, flag: { key: changed, enabled: false } });
    t.same(
      keys.filter((key) => key !== changed && frame.includes(`"${key}"`)),
      [],
      'no other flag travels with the change',
    );
    t.ok(frame.length * 100 < snapshotFrame!.length, `the change frame (${frame.length} bytes) is a sliver of the snapshot (${snapshotFrame!.length} bytes)`);
  }
});
