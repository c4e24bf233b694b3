import t from 'tap';
import type { Snapshot as ServerSnapshot } from '../../shared/schemas/snapshots.js';
import type { FlagChange as ServerFlagChange, HandshakeAuth as ServerHandshakeAuth, SocketError as ServerSocketError } from '../../shared/schemas/socket.js';
import { isFlagChange, isSnapshot, type FlagChange, type HandshakeAuth, type Snapshot, type SocketError } from '../../packages/sdk/protocol.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createSdkToken } from '../helpers/tokens.js';

/*
 * The SDK declares the wire protocol with plain types (it ships without zod).
 * These assignments stop type-checking (npm test runs tsc first) the moment
 * the server's schemas and the SDK's types drift apart in either direction.
 */
const serverToSdk = (snapshot: ServerSnapshot, change: ServerFlagChange, error: ServerSocketError): [Snapshot, FlagChange, SocketError] => [snapshot, change, error];
const sdkToServer = (auth: HandshakeAuth): ServerHandshakeAuth => auth;
void serverToSdk;
void sdkToServer;

const env = await createTestEnvironment(t, 'sdk-protocol');
const { request } = await startTestApi(t, env);
const token = await createSdkToken(request, env.adminSecret, 'prod');

t.test("the SDK's structural checks accept what the server really sends", async (t) => {
  await request('POST', '/v1/segments', {
    token: env.adminSecret,
    body: { name: 'staff', constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }] },
  });
  const created = await request('POST', '/v1/flags', { token: env.adminSecret, body: { key: 'wire', environments: { prod: { enabled: true, rollout: 30 } } } });
  t.equal(created.status, 201);
  const snapshot = await request('GET', '/v1/client/flags', { token: token.secret });
  t.equal(snapshot.status, 200);
  t.ok(snapshot.body.flags.length > 0 && snapshot.body.segments.length > 0, 'a snapshot with a flag and a segment');
  t.ok(isSnapshot(snapshot.body), 'a real snapshot passes');
  t.ok(isFlagChange({ environment: 'prod', version: snapshot.body.version, previous: snapshot.body.version - 1, flag: snapshot.body.flags[0] }), 'a flag change passes');
  t.ok(isFlagChange({ environment: 'prod', version: snapshot.body.version, previous: snapshot.body.version - 1, segment: snapshot.body.segments[0] }), 'a segment change passes');
  t.notOk(isSnapshot({ ...snapshot.body, flags: [{ key: 'x', enabled: true }] }), 'a flag without its targeting fields is refused');
  t.notOk(isSnapshot({ ...snapshot.body, version: -1 }), 'a negative version is refused');
  t.notOk(isFlagChange({ environment: 'prod', version: 1 }), 'a change with neither a flag nor a segment is refused');
});
