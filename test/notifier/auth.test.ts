import t from 'tap';
import { FlagShipClient, FlagShipRefusedError } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { connectError, createSdkToken, rawSocket } from './socket-client.js';

const env = await createTestEnvironment(t, 'notifier-auth');
const { request } = await startTestApi(t, env, { snapshots: 'cache' });
const notifier = await startTestNotifier(t, env, { tokenCheckIntervalMs: 100 });
const admin = env.adminSecret;
const devToken = await createSdkToken(request, admin, 'dev');

async function revoke(id: string) {
  const response = await request('DELETE', `/v1/tokens/${id}`, { token: admin });
  if (response.status !== 200) throw new Error(`could not revoke: ${response.status} ${response.text}`);
}

t.test('an unknown token is refused on the socket and over HTTP', async (t) => {
  const error = await connectError(notifier.url, { token: 'fs_sdk_not-a-real-token' });
  t.equal(error.message, 'unknown or revoked token');
  t.equal(error.data?.code, 'unauthorized');
  const http = await request('GET', '/v1/client/flags', { token: 'fs_sdk_not-a-real-token' });
  t.equal(http.status, 401);
});

t.test('an admin token is refused: clients need an sdk token', async (t) => {
  const error = await connectError(notifier.url, { token: admin });
  t.equal(error.message, 'an sdk token is required, not an admin token');
  t.equal(error.data?.code, 'forbidden');
  const http = await request('GET', '/v1/client/flags', { token: admin });
  t.equal(http.status, 403);
});

t.test('a revoked token is refused', async (t) => {
  const token = await createSdkToken(request, admin, 'dev', 'soon revoked');
  t.equal((await request('GET', '/v1/client/flags', { token: token.secret })).status, 200);
  await revoke(token.id);
  const error = await connectError(notifier.url, { token: token.secret });
  t.equal(error.message, 'unknown or revoked token');
  t.equal((await request('GET', '/v1/client/flags', { token: token.secret })).status, 401);
});

t.test('a token of another environment than the client asks for is refused', async (t) => {
  const error = await connectError(notifier.url, { token: devToken.secret, environment: 'prod' });
  t.equal(error.message, "this token is for environment 'dev', not 'prod'");
  t.equal(error.data?.code, 'forbidden');
  const http = await request('GET', '/v1/client/flags?environment=prod', { token: devToken.secret });
  t.equal(http.status, 403);
  t.equal(http.body.error.message, "this token is for environment 'dev', not 'prod'");

  // Naming the token's own environment is fine.
  const socket = rawSocket(notifier.url, { token: devToken.secret, environment: 'dev' });
  t.teardown(socket.close);
  await socket.next('flags:synced');
  t.equal(socket.received[0]!.event, 'flags:snapshot');
  t.equal((await request('GET', '/v1/client/flags?environment=dev', { token: devToken.secret })).status, 200);
});

t.test('a malformed handshake is refused naming the field', async (t) => {
  const missing = await connectError(notifier.url, {});
  t.equal(missing.data?.code, 'invalid_handshake');
  t.match(missing.message, /auth\.token/);
  const badSince = await connectError(notifier.url, { token: devToken.secret, since: -3 });
  t.equal(badSince.data?.code, 'invalid_handshake');
  t.match(badSince.message, /auth\.since/);
});

t.test('the SDK reports a refusal: ready() rejects when it has no flags to fall back on', async (t) => {
  const client = new FlagShipClient({ url: notifier.url, token: 'fs_sdk_wrong' });
  t.teardown(() => client.close());
  const error = await client.ready().then(() => undefined, (error: unknown) => error);
  t.type(error, FlagShipRefusedError);
  t.equal((error as FlagShipRefusedError).code, 'unauthorized');
});

t.test('sockets of a token revoked while connected are disconnected', async (t) => {
  const token = await createSdkToken(request, admin, 'dev', 'revoked while connected');
  const client = new FlagShipClient({ url: notifier.url, token: token.secret });
  t.teardown(() => client.close());
  await client.ready();
  const refused = new Promise<Error>((resolve) => client.on('error', resolve));
  await revoke(token.id);
  const error = await refused;
  t.type(error, FlagShipRefusedError);
  t.equal(error.message, 'this token was revoked');
});
