import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { sendAndWait } from '../helpers/raw-http.js';
import { closeOnce } from '../helpers/worker.js';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from '../../shared/http/http-server.js';
import { startOpsServer } from '../../shared/metrics/ops-http.js';
import { createMetricsRegistry } from '../../shared/metrics/registry.js';

/*
 * Every HTTP server of ours (the API, the notifier's port, the worker's
 * health port) ends a connection whose headers never complete within the same
 * limit. The notifier's port used to keep such a client 69 s (Node's
 * defaults) while the API closed it after 11 s.
 */

const env = await createTestEnvironment(t, 'slow-headers');
const SLOW_HEADER = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';

/** The three servers, each with `timeouts` (the defaults when undefined). */
async function startEveryServer(timeouts: HttpTimeouts | undefined): Promise<Array<{ name: string; port: number }>> {
  const api = await startTestApi(t, env, { timeouts });
  const notifier = await startTestNotifier(t, env, { httpTimeouts: timeouts });
  const ops = await startOpsServer(0, { registry: createMetricsRegistry(), metricsToken: undefined, readiness: [] }, env.logger, {
    host: '127.0.0.1',
    timeouts,
  });
  closeOnce(t, ops);
  return [
    { name: 'the API', port: Number(new URL(api.url).port) },
    { name: "the notifier's port", port: notifier.port },
    { name: "the worker's health port", port: ops.port },
  ];
}

/** Sends a header that never ends to each server at once and reports which hung up within `waitMs`. */
async function slowHeaderToEach(servers: Array<{ name: string; port: number }>, waitMs: number) {
  return Promise.all(servers.map(async (server) => ({ ...server, ...(await sendAndWait(server.port, SLOW_HEADER, { waitMs })) })));
}

t.test('with the default limits, each server hangs up on a slow header within the headers timeout', async (t) => {
  const servers = await startEveryServer(undefined);
  // The limit, Node's checking interval (1 s) and a wide margin for a busy machine; far below the 60 s Node would otherwise allow.
  const exchanges = await slowHeaderToEach(servers, DEFAULT_HTTP_TIMEOUTS.headersMs + 10_000);
  for (const exchange of exchanges) t.ok(exchange.closed, `${exchange.name} hung up`);
});

t.test('a shorter limit given to each server is the one applied', async (t) => {
  const servers = await startEveryServer({ headersMs: 500, requestMs: 1000 });
  const exchanges = await slowHeaderToEach(servers, 4000);
  for (const exchange of exchanges) t.ok(exchange.closed, `${exchange.name} hung up`);
});
