import t from 'tap';
import { io } from 'socket.io-client';
import { SOCKET_PROTOCOL_VERSION } from '../../shared/schemas/socket.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';

/*
 * Socket.IO's long-polling transport needs sticky sessions, which several
 * notifiers behind a load balancer do not have ("Session ID unknown"): the
 * notifier speaks WebSocket only unless told otherwise.
 */

const env = await createTestEnvironment(t, 'websocket-only');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const sdk = await createSdkToken(request, env.adminSecret, 'prod');

t.test('a long-polling handshake is refused', async (t) => {
  const response = await fetch(`${notifier.url}/socket.io/?EIO=4&transport=polling`);
  t.equal(response.status, 400);
  t.match(await response.json(), { message: 'Transport unknown' });
});

t.test('a client allowed to fall back to polling still connects, over WebSocket', async (t) => {
  const socket = io(notifier.url, { forceNew: true, reconnection: false, transports: ['polling', 'websocket'], tryAllTransports: true, auth: { token: sdk.secret, protocol: SOCKET_PROTOCOL_VERSION } });
  t.teardown(() => socket.close());
  await new Promise<void>((resolve, reject) => {
    socket.on('flags:synced', () => resolve());
    socket.on('connect_error', (error) => reject(error));
  });
  t.equal(socket.io.engine.transport.name, 'websocket');
});

t.test('polling can be turned on for a single notifier', async (t) => {
  const withPolling = await startTestNotifier(t, env, { transports: ['websocket', 'polling'] });
  const response = await fetch(`${withPolling.url}/socket.io/?EIO=4&transport=polling`);
  t.equal(response.status, 200);
  await response.body?.cancel();
});
