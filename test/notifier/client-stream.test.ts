import { trackRedisAvailability } from '../../shared/redis/availability.js';
import t from 'tap';
import { ClientStream, type StreamSocket } from '../../services/notifier/client-stream.js';
import { createReplaySource } from '../../services/notifier/replay-source.js';
import type { FlagChange, ServerToClientEvents } from '../../shared/schemas/socket.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

// The join-before-read race of a (re)connecting socket, forced: the replay is
// held after it read the table while changes commit and arrive live, some of
// them overlapping what the replay read. Real events from PostgreSQL; the
// socket is a recorder standing in for Socket.IO's.

const env = await createTestEnvironment(t, 'client-stream');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
await request('POST', '/v1/flags', { token: admin, body: { key: 'race', environments: { dev: { enabled: true, rollout: 0 } } } });

async function change(rollout: number): Promise<number> {
  const response = await request('PATCH', '/v1/flags/race/environments/dev', { token: admin, body: { rollout } });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.text}`);
  return response.body.version;
}

function recorder(): StreamSocket & { sent: Array<[keyof ServerToClientEvents, unknown]> } {
  const sent: Array<[keyof ServerToClientEvents, unknown]> = [];
  return {
    sent,
    connected: true,
    emit(event, ...args) {
      sent.push([event, args[0]]);
      return true;
    },
    disconnect() {
      return undefined;
    },
  };
}

t.test('live changes during a replay are held, de-duplicated and sent in order; a gap is filled from the table', async (t) => {
  const source = createReplaySource(env.pool, env.redis, env.redisPrefix, trackRedisAvailability(env.redis, env.logger));
  const versions: number[] = [];
  for (let rollout = 1; rollout <= 5; rollout += 1) versions.push(await change(rollout));
  const since = versions[1]!;

  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let readDone!: () => void;
  const replayRead = new Promise<void>((resolve) => {
    readDone = resolve;
  });
  let holdFirstRead = true;
  const holdingSource = {
    ...source,
    async changesSince(environment: string, version: number, limit: number) {
      const changes = await source.changesSince(environment, version, limit);
      if (holdFirstRead) {
        holdFirstRead = false;
        readDone();
        await held;
      }
      return changes;
    },
  };

  const socket = recorder();
  const stream = new ClientStream(socket, 'dev', holdingSource, 1000, env.logger);
  const started = stream.start(since);
  await replayRead;

  // While the replay is held: two more changes commit, and the relay delivers
  // the last replayed version again plus the two new ones.
  const sixth = await change(6);
  const seventh = await change(7);
  const live = async (version: number): Promise<FlagChange> => (await source.changesSince('dev', version - 1, 1))[0]!;
  stream.deliver(await live(versions[4]!));
  stream.deliver(await live(sixth));
  stream.deliver(await live(seventh));
  t.same(socket.sent, [], 'nothing is sent while the replay is held');

  release();
  await started;

  // A gap: the relay hands over 9 without 8; the stream reads 8 (and 9) from the table.
  const eighth = await change(8);
  const ninth = await change(9);
  stream.deliver(await live(ninth));
  while (socket.sent.filter(([event]) => event === 'flags:change').length < 7) await new Promise((resolve) => setTimeout(resolve, 5));
  stream.deliver(await live(eighth));

  const sentVersions = socket.sent.map(([event, payload]) => [event, (payload as { version: number }).version]);
  t.same(sentVersions, [
    ['flags:change', versions[2]],
    ['flags:change', versions[3]],
    ['flags:change', versions[4]],
    ['flags:synced', versions[4]],
    ['flags:change', sixth],
    ['flags:change', seventh],
    ['flags:change', eighth],
    ['flags:change', ninth],
  ]);
});

t.test('a socket that started behind the relay’s first load reads what it lacks when told the load’s version', async (t) => {
  // The race the SDK test met under load: a socket joins a fresh notifier
  // before its relay's first read, starts from an older snapshot, and the
  // relay then loads a snapshot that already holds the next change: no live
  // change would ever carry that version to the socket.
  const source = createReplaySource(env.pool, env.redis, env.redisPrefix, trackRedisAvailability(env.redis, env.logger));
  const before = await change(20);
  const behindSource = { ...source, snapshot: async () => ({ ...(await source.snapshot('dev')), version: before }) };
  const socket = recorder();
  const stream = new ClientStream(socket, 'dev', behindSource, 1000, env.logger);
  await stream.start(undefined);
  t.same(socket.sent.map(([event]) => event), ['flags:snapshot', 'flags:synced'], 'started from the snapshot');

  const missed = await change(21);
  stream.reach(missed);
  while (socket.sent.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
  const [event, payload] = socket.sent[2]!;
  t.equal(event, 'flags:change');
  t.equal((payload as { version: number }).version, missed, 'the version the relay loaded is read from the table and sent');

  stream.reach(missed);
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(socket.sent.length, 3, 'told again, it sends nothing twice');
  const next = await change(22);
  stream.deliver((await source.changesSince('dev', next - 1, 1))[0]!);
  t.equal((socket.sent[3]?.[1] as { version: number } | undefined)?.version, next, 'live changes follow');
});
