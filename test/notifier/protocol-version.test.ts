import t from 'tap';
import { SOCKET_PROTOCOL_VERSION } from '../../shared/schemas/socket.js';
import { PROTOCOL_VERSION } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { connectError, createSdkToken, rawSocket } from './socket-client.js';

const env = await createTestEnvironment(t, 'notifier-protocol');
const { request } = await startTestApi(t, env, { snapshots: 'cache' });
const notifier = await startTestNotifier(t, env);
const token = await createSdkToken(request, env.adminSecret, 'dev');

t.equal(PROTOCOL_VERSION, SOCKET_PROTOCOL_VERSION, 'the SDK speaks the protocol the notifier speaks');

t.test('a handshake without a protocol (an SDK from before protocol 2) is refused, told to upgrade', async (t) => {
  const error = await connectError(notifier.url, { token: token.secret, protocol: undefined });
  t.equal(error.data?.code, 'unsupported_protocol');
  t.match(error.message, /speaks Socket\.IO protocol 3.*upgrade @flagship\/sdk/);
});

t.test('an older protocol is refused before the token is even checked', async (t) => {
  const error = await connectError(notifier.url, { token: 'fs_sdk_not-a-real-token', protocol: 1 });
  t.equal(error.data?.code, 'unsupported_protocol');
  t.match(error.message, /not 1: upgrade @flagship\/sdk/);
});

t.test('protocol 2 (an SDK that would apply half of a change request) is refused, told to upgrade', async (t) => {
  const error = await connectError(notifier.url, { token: token.secret, protocol: 2 });
  t.equal(error.data?.code, 'unsupported_protocol');
  t.match(error.message, /speaks Socket\.IO protocol 3, not 2: upgrade @flagship\/sdk/);
});

t.test('a newer protocol is refused with the other advice', async (t) => {
  const error = await connectError(notifier.url, { token: token.secret, protocol: SOCKET_PROTOCOL_VERSION + 1 });
  t.equal(error.data?.code, 'unsupported_protocol');
  t.match(error.message, /upgrade FlagShip or use an older SDK/);
});

t.test('a protocol that is not a number is refused', async (t) => {
  const error = await connectError(notifier.url, { token: token.secret, protocol: '2' });
  t.equal(error.data?.code, 'unsupported_protocol');
});

t.test('the current protocol is served a snapshot', async (t) => {
  const socket = rawSocket(notifier.url, { token: token.secret });
  t.teardown(() => socket.close());
  await socket.next('flags:synced');
  t.equal(socket.received[0]?.event, 'flags:snapshot');
});
