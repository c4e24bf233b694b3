import t from 'tap';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import type { Synced } from '../../shared/schemas/socket.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment, type Teardowns } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { connectError, createSdkToken, rawSocket, type RawSocket } from '../notifier/socket-client.js';

// PostgreSQL goes away for the notifier only (its pool and LISTEN go through
// a proxy the test breaks); the API keeps its own connection, so changes are
// still made during the outage and must reach the sockets once it ends.
// Sockets of tokens the notifier already verified connect and reconnect from
// its token cache and its relay's memory; any other token is refused.
// A `since` a little below the relay's version is replayed from the relay's
// memory of its latest changes; one below what it remembers needs PostgreSQL
// (the events in between): that socket is dropped `unavailable` and resumes
// afterwards.

const env = await createTestEnvironment(t, 'notifier-postgres-outage');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

async function patch(rollout: number): Promise<number> {
  const response = await request('PATCH', '/v1/flags/checkout/environments/prod', { token: admin, body: { rollout } });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.status} ${response.text}`);
  return response.body.version as number;
}

async function revoke(id: string): Promise<void> {
  const response = await request('DELETE', `/v1/tokens/${id}`, { token: admin });
  if (response.status !== 200) throw new Error(`could not revoke: ${response.status} ${response.text}`);
}

/** Opens a socket and waits for its catch-up (flags:synced); rejects when it is refused or dropped first. */
async function connected(t: Teardowns, url: string, auth: Record<string, unknown>): Promise<RawSocket> {
  const socket = rawSocket(url, auth);
  t.teardown(socket.close);
  await new Promise<void>((resolve, reject) => {
    socket.socket.once('connect_error', (error) => reject(new Error(`refused: ${error.message}`)));
    socket.socket.once('disconnect', (reason) => reject(new Error(`disconnected before its catch-up: ${reason} ${JSON.stringify(socket.received)}`)));
    socket.next('flags:synced').then(resolve, reject);
  });
  return socket;
}

const created = await request('POST', '/v1/flags', { token: admin, body: { key: 'checkout', environments: { prod: { enabled: true, rollout: 10 } } } });
if (created.status !== 201) throw new Error(`could not create the flag: ${created.status} ${created.text}`);

for (const fault of ['reset', 'black-hole'] as const) {
  t.test(`PostgreSQL ${fault} for the notifier`, async (t) => {
    const proxy = await new TcpProxy('127.0.0.1', Number(new URL(env.config.databaseUrl).port || 5432)).start();
    t.teardown(() => proxy.close());
    const notifier = await startTestNotifier(t, env, { databaseUrl: viaProxy(env.config.databaseUrl, proxy.port), tokenCheckIntervalMs: 100 });

    const known = await createSdkToken(request, admin, 'prod', `known (${fault})`);
    const neverSeen = await createSdkToken(request, admin, 'prod', `never seen by the notifier (${fault})`);
    const revoked = await createSdkToken(request, admin, 'prod', `revoked before the outage (${fault})`);

    // Before the outage: the known token connects and follows one change.
    const first = await connected(t, notifier.url, { token: known.secret });
    t.equal(first.received[0]!.event, 'flags:snapshot');
    const start = (first.received[0]!.payload as Snapshot).version;
    // The replays below count on the relay having loaded at `start`, before the next change
    // (else that change is not in its memory and PostgreSQL, soon away, would be needed).
    await notifier.relayed('prod', start);
    const beforeOutage = await patch(20);
    await first.next('flags:change');
    t.same(first.changeVersions(), [beforeOutage]);
    first.close();

    // The revoked token was verified once, then revoked: the notifier forgets it.
    (await connected(t, notifier.url, { token: revoked.secret })).close();
    await revoke(revoked.id);
    t.equal((await connectError(notifier.url, { token: revoked.secret })).data?.code, 'unauthorized');

    if (fault === 'reset') proxy.reset();
    else proxy.blackHole();

    // During the outage, the known token reconnects three ways.
    const resumed = await connected(t, notifier.url, { token: known.secret, since: beforeOutage });
    t.same(resumed.received.map((entry) => entry.event), ['flags:synced'], 'a since at the relayed version is served from memory');
    t.equal((resumed.received[0]!.payload as Synced).version, beforeOutage);

    // A since below the relayed version, within what the relay relayed: replayed from its memory.
    const replayed = await connected(t, notifier.url, { token: known.secret, since: start });
    t.same(replayed.received.map((entry) => entry.event), ['flags:change', 'flags:synced'], 'the relayed change, from memory');
    t.same(replayed.changeVersions(), [beforeOutage]);

    // Below the relay's first version (it loaded its snapshot at `start`), the events in between
    // are PostgreSQL's: accepted, then dropped with `unavailable` rather than left with a hole.
    const behind = rawSocket(notifier.url, { token: known.secret, since: start - 1 });
    t.teardown(behind.close);
    await behind.next('flags:error');
    t.same(behind.received, [{ event: 'flags:error', payload: { code: 'unavailable', message: 'FlagShip could not read the changes just now; reconnect to resume' } }]);

    const fresh = await connected(t, notifier.url, { token: known.secret });
    t.same(fresh.received.map((entry) => entry.event), ['flags:snapshot', 'flags:synced'], 'no since: the relay snapshot');
    t.equal((fresh.received[0]!.payload as Snapshot).version, beforeOutage);

    // Fail closed: a valid token this notifier never verified, and the revoked one.
    const unknown = await connectError(notifier.url, { token: neverSeen.secret });
    t.equal(unknown.data?.code, 'unavailable');
    t.equal(unknown.message, 'FlagShip could not check the token just now; try again');
    t.equal((await connectError(notifier.url, { token: revoked.secret })).data?.code, 'unavailable');

    // Changes made meanwhile (the API still reaches PostgreSQL) arrive once
    // the notifier's PostgreSQL is back: each once, in order, on every socket.
    const duringOutage = [await patch(30), await patch(40)];
    proxy.restore();
    for (const socket of [resumed, fresh]) {
      await socket.next('flags:change', duringOutage.length);
      t.same(socket.changeVersions(), duringOutage);
      t.ok(socket.socket.connected);
    }
    await replayed.next('flags:change', 1 + duringOutage.length);
    t.same(replayed.changeVersions(), [beforeOutage, ...duringOutage], 'the replayed socket follows live, each once, in order');
    // The dropped one resumes from where it was and is sent exactly what it missed.
    const caughtUp = await connected(t, notifier.url, { token: known.secret, since: start - 1 });
    const missed = caughtUp.changeVersions();
    t.same(missed.slice(-3), [beforeOutage, ...duringOutage]);
    t.same(missed, missed.slice().sort((a, b) => a - b), 'in order');
    t.equal(missed[0], start, 'from the version after its since');
    const afterOutage = await patch(50);
    await caughtUp.next('flags:change', missed.length + 1);
    t.same(caughtUp.changeVersions(), [...missed, afterOutage]);
    for (const socket of [resumed, fresh]) {
      await socket.next('flags:change', duringOutage.length + 1);
      t.same(socket.changeVersions(), [...duringOutage, afterOutage]);
    }

    // Back to normal: the never-seen token connects, the revoked one stays refused.
    (await connected(t, notifier.url, { token: neverSeen.secret })).close();
    t.equal((await connectError(notifier.url, { token: revoked.secret })).data?.code, 'unauthorized');
    await notifier.close();
  });
}
