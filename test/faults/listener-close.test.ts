import t from 'tap';
import { listenForChanges } from '../../shared/db/change-listener.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';

/*
 * The change listener closed while PostgreSQL is unreachable stops trying:
 * pg-listen's own close() left its reconnect loop running for ever, and the
 * loop opened a connection nobody closed once the database answered again
 * (a process shutting down during an outage never exited).
 */

const env = await createTestEnvironment(t, 'listener-close');
const { hostname, port } = new URL(env.config.databaseUrl);
const proxy = await new TcpProxy(hostname, Number(port)).start();
t.teardown(() => proxy.close());

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test('closed during an outage: no reconnect goes on, no connection is left open when the database is back', async (t) => {
  let listening = 0;
  const listener = await listenForChanges(viaProxy(env.config.databaseUrl, proxy.port), env.logger, {
    onHint: () => undefined,
    onListening: () => (listening += 1),
  });
  t.equal(listening, 1);
  t.equal(proxy.openConnections, 1, 'its LISTEN connection');

  proxy.cut();
  // Long enough for the loss to be seen and a few attempts to be refused.
  await wait(1500);
  await listener.close();

  proxy.restore();
  // Past the longest wait between attempts (2 s): an attempt still scheduled would connect now.
  await wait(3000);
  t.equal(proxy.openConnections, 0, 'nothing reconnected after close()');
  t.equal(listening, 1, 'and nothing listened again');
});

t.test('closed while connected: its connection ends', async (t) => {
  const listener = await listenForChanges(viaProxy(env.config.databaseUrl, proxy.port), env.logger, {
    onHint: () => undefined,
    onListening: () => undefined,
  });
  t.equal(proxy.openConnections, 1);
  await listener.close();
  await wait(200);
  t.equal(proxy.openConnections, 0);
});
