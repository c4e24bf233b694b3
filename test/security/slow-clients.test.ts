import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { sendAndWait as sendRaw, type RawExchange } from '../helpers/raw-http.js';

/*
 * A client that sends less than its Content-Length, or its headers a byte at
 * a time, must not hold a connection: anonymous callers are refused before
 * any body is read, and the HTTP server bounds how long a request may take
 * to arrive (short limits here, so the test does not wait the defaults).
 */

const env = await createTestEnvironment(t, 'slow-clients');
const api = await startTestApi(t, env, { timeouts: { headersMs: 1000, requestMs: 1500 } });
const port = Number(new URL(api.url).port);
const WAIT_MS = 10_000;

/** Writes `head` and waits, without sending the rest, for the server to answer or hang up. */
const sendAndWait = (head: string, until?: (response: string) => boolean): Promise<RawExchange> =>
  sendRaw(port, head, { waitMs: WAIT_MS, until });

const partialBody = (authorization?: string) =>
  [
    'POST /v1/flags HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    'Content-Length: 1000',
    ...(authorization ? [`Authorization: ${authorization}`] : []),
    '',
    '{"key":"sl',
  ].join('\r\n');

t.test('no token: a 401 before the body is read, not a wait for the rest of it', async (t) => {
  const exchange = await sendAndWait(partialBody(), (response) => response.includes('\r\n\r\n'));
  t.match(exchange.response, /^HTTP\/1\.1 401 /);
});

t.test('an unknown token: also refused before the body', async (t) => {
  const exchange = await sendAndWait(partialBody('Bearer not-a-token'), (response) => response.includes('\r\n\r\n'));
  t.match(exchange.response, /^HTTP\/1\.1 401 /);
});

t.test('a valid token and a body that never completes: the request timeout ends it', async (t) => {
  const exchange = await sendAndWait(partialBody(`Bearer ${env.adminSecret}`));
  t.ok(exchange.closed, 'the server hung up');
  t.match(exchange.response, /^(HTTP\/1\.1 408 |$)/, 'with a 408 or nothing');
  const flag = await api.request('GET', '/v1/flags/sl', { token: env.adminSecret });
  t.equal(flag.status, 404, 'nothing was written');
});

t.test('headers that never complete: the headers timeout ends the connection', async (t) => {
  const exchange = await sendAndWait('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  t.ok(exchange.closed, 'the server hung up');
});

t.test('an idle keep-alive connection is closed', async (t) => {
  const exchange = await sendAndWait('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  t.match(exchange.response, /^HTTP\/1\.1 200 /);
  t.ok(exchange.closed, 'closed after the keep-alive timeout');
});
