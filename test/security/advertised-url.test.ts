import http from 'node:http';
import t from 'tap';
import { createStreamTicketIssuer, issueStreamTicket, TICKET_WINDOW_SECONDS, verifyStreamTicket } from '../../services/api/ofrep/stream-tickets.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createSdkToken } from '../helpers/tokens.js';

/*
 * The event-stream URL a bulk evaluation advertises: never from a Host header
 * a client chose; from FLAGSHIP_PUBLIC_URL, or from X-Forwarded-* behind a
 * proxy FLAGSHIP_TRUST_PROXY vouches for. And its ticket expires.
 */

const env = await createTestEnvironment(t, 'advertised-url');
const plain = await startTestApi(t, env);
const configured = await startTestApi(t, env, { config: { publicUrl: 'https://flags.example.com/flagship/' } });
const proxied = await startTestApi(t, env, { config: { trustProxy: true } });
const sdk = await createSdkToken(plain.request, env.adminSecret, 'prod');

/** node:http, not fetch: fetch replaces a Host header with the URL's own. */
function advertised(api: typeof plain, headers: Record<string, string>): Promise<URL> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${api.url}/ofrep/v1/evaluate/flags`,
      { method: 'POST', headers: { ...headers, authorization: `Bearer ${sdk.secret}`, 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`${response.statusCode}: ${text}`));
          else resolve(new URL(JSON.parse(text).eventStreams[0].url));
        });
      },
    );
    request.on('error', reject);
    request.end('{}');
  });
}

t.test('a Host header, or X-Forwarded-* from anyone, does not choose the URL', async (t) => {
  const url = await advertised(plain, { host: 'evil.example.com', 'x-forwarded-host': 'evil.example.com', 'x-forwarded-proto': 'https' });
  t.equal(url.origin, plain.url, 'the address the connection came in on');
  t.equal(url.pathname, '/ofrep/v1/event-stream');
});

t.test('FLAGSHIP_PUBLIC_URL is used as is, base path included', async (t) => {
  const url = await advertised(configured, { host: 'evil.example.com', 'x-forwarded-host': 'evil.example.com' });
  t.equal(url.origin, 'https://flags.example.com');
  t.equal(url.pathname, '/flagship/ofrep/v1/event-stream');
});

t.test('behind a trusted proxy: the forwarded scheme and host (https behind a TLS terminator)', async (t) => {
  const url = await advertised(proxied, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'flags.example.com' });
  t.equal(url.origin, 'https://flags.example.com');
  const malformed = await advertised(proxied, { 'x-forwarded-host': 'evil.example.com/path?' });
  t.equal(malformed.origin, proxied.url, 'a malformed forwarded host falls back to the local address');
});

t.test('the remembered ticket of a token is the one issued for its window, and a new window gets a new one', async (t) => {
  const issue = createStreamTicketIssuer();
  const now = Date.now();
  const first = issue(sdk.id, sdk.secret, now);
  t.equal(first, issueStreamTicket(sdk.id, sdk.secret, now));
  t.equal(issue(sdk.id, sdk.secret, now + 1000), first, 'the same within the window');
  const later = now + TICKET_WINDOW_SECONDS * 1000;
  t.equal(issue(sdk.id, sdk.secret, later), issueStreamTicket(sdk.id, sdk.secret, later));
  t.not(issue(sdk.id, sdk.secret, later), first, 'a window later, a later expiry');
  t.match(await verifyStreamTicket(env.pool, issue(sdk.id, sdk.secret, later), now), { tokenId: sdk.id });
});

t.test('tickets expire, and the expiry cannot be forged', async (t) => {
  const now = Date.now();
  const current = issueStreamTicket(sdk.id, sdk.secret, now);
  t.match(await verifyStreamTicket(env.pool, current, now), { tokenId: sdk.id, environment: 'prod' });
  t.equal(current, issueStreamTicket(sdk.id, sdk.secret, now + 1000), 'stable within a window, so the bulk ETag is too');
  t.equal(await verifyStreamTicket(env.pool, current, now + 2 * TICKET_WINDOW_SECONDS * 1000 + 1000), undefined, 'expired');

  const old = issueStreamTicket(sdk.id, sdk.secret, now - 3 * TICKET_WINDOW_SECONDS * 1000);
  const refused = await fetch(`${plain.url}/ofrep/v1/event-stream?ticket=${encodeURIComponent(old)}`);
  t.equal(refused.status, 401);
  t.match(await refused.json(), { errorDetails: /expired/ });

  const [id, expiry, mac] = old.split('.') as [string, string, string];
  const extended = `${id}.${Number(expiry) + 10 * TICKET_WINDOW_SECONDS}.${mac}`;
  t.equal(await verifyStreamTicket(env.pool, extended, now), undefined, 'a later expiry needs a new MAC');
});
