import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import t from 'tap';
import type { FlagState } from '../../shared/schemas/flags.js';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '../../shared/schemas/socket.js';
import { FlagShipClient, type FlagShipChange } from '../../packages/sdk/index.js';
import { changeWhere } from './support.js';

// The real notifier never sends a gap or a duplicate (test/notifier proves
// that), so to see the SDK defend itself this file runs a real Socket.IO
// server that misbehaves on purpose: on the first connection it skips version
// 7 and repeats 6; on the next it serves whatever `since` asks for.

function state(version: number, rollout: number): FlagState {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    key: 'gap_flag',
    project: 'default',
    environment: 'prod',
    enabled: true,
    rollout,
    strategies: [
      { id: 'rollout', name: 'flexibleRollout', parameters: { rollout: String(rollout), stickiness: 'default', groupId: 'gap_flag' } },
    ],
    variants: [],
    dependencies: [],
    version,
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'test',
    archived: false,
  };
}

const history = new Map<number, FlagState>([5, 6, 7, 8].map((version) => [version, state(version, version * 10)]));
const handshakes: HandshakeAuth[] = [];

const httpServer = http.createServer();
const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer);
io.on('connection', (socket) => {
  const auth = socket.handshake.auth as HandshakeAuth;
  handshakes.push(auth);
  const change = (version: number) => socket.emit('flags:change', { environment: 'prod', version, previous: version - 1, flag: history.get(version)! });
  if (handshakes.length === 1) {
    socket.emit('flags:snapshot', { environment: 'prod', version: 5, flags: [history.get(5)!], segments: [] });
    socket.emit('flags:synced', { environment: 'prod', version: 5 });
    change(6);
    change(6);
    change(8);
    return;
  }
  for (let version = (auth.since ?? 0) + 1; version <= 8; version += 1) change(version);
  socket.emit('flags:synced', { environment: 'prod', version: 8 });
});
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
t.teardown(() => io.close());
const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;

t.test('a duplicate is ignored; a gap makes the client reconnect from its version and get what it missed', async (t) => {
  const client = new FlagShipClient({ url, token: 'fs_sdk_test' });
  t.teardown(() => client.close());
  const seen: FlagShipChange[] = [];
  client.on('change', (change) => seen.push(change));
  const done = changeWhere(client, (change) => change.version === 8);
  await client.ready();
  await done;

  t.same(seen.map((change) => [change.source, change.version]), [
    ['snapshot', 5],
    ['change', 6],
    ['change', 7],
    ['change', 8],
  ]);
  t.same(client.stats, { syncs: 2, duplicatesIgnored: 1, gapsDetected: 1 });
  t.same(handshakes.map((auth) => auth.since), [undefined, 6], 'the reconnection asked for the changes after 6');
  t.equal(client.snapshot()?.flags[0]?.rollout, 80);
});
