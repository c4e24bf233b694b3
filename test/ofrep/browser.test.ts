import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import t from 'tap';
import { launchBrowser, openPage } from '../console/support/browser.js';
import { changeState, createFlags } from '../evaluation/fixtures.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { waitFor } from '../helpers/worker.js';

/*
 * A browser app on its own origin, with the real @openfeature/web-sdk and
 * @openfeature/ofrep-web-provider in headless Chromium: the bulk evaluation
 * crosses origins (CORS preflight, ETag exposed), and a change arrives through
 * the advertised SSE stream. Polling is set to ten minutes, so a change seen
 * within the test came over the stream.
 */

const POLL_INTERVAL_MS = 600_000;
const here = path.dirname(fileURLToPath(import.meta.url));

const env = await createTestEnvironment(t, 'ofrep-browser');
const api = await startTestApi(t, env, { snapshots: 'cache' });
await startTestNotifier(t, env);
const admin = env.adminSecret;
await createFlags(api.request, admin, { banner: { prod: { enabled: true, rollout: 100 } } });
const created = await api.request('POST', '/v1/tokens', { token: admin, body: { name: 'web app', kind: 'frontend', environment: 'prod' } });
if (created.status !== 201) throw new Error(`could not create a frontend token: ${created.text}`);
const frontendSecret: string = created.body.secret;

const bundle = await build({
  entryPoints: [path.join(here, 'browser/page-entry.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  logLevel: 'silent',
});
const script = bundle.outputFiles[0]!.text;

// The page's own origin: another ephemeral port.
const pageServer = http.createServer((req, res) => {
  if (req.url === '/app.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
  } else {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title><script src="/app.js"></script>');
  }
});
await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => pageServer.close(() => resolve())));
const pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

const browser = await launchBrowser(t);

t.test('bulk evaluation across origins, then a change pushed over the advertised event stream', async (t) => {
  const { page, problems } = await openPage(browser);
  const requests: Array<{ method: string; url: string; headers: Record<string, string> }> = [];
  page.on('request', (request) => requests.push({ method: request.method(), url: request.url(), headers: request.headers() }));
  await page.goto(pageOrigin);
  t.not(new URL(page.url()).origin, api.url, 'the page is on another origin than the API');

  const initial = await page.evaluate(
    ([baseUrl, token, poll]) => window.startFlags(baseUrl, token, poll),
    [api.url, frontendSecret, POLL_INTERVAL_MS] as [string, string, number],
  );
  t.equal(initial, true, 'the bulk evaluation answered the flag');
  const bulkRequests = () => requests.filter((request) => request.method === 'POST' && request.url.startsWith(`${api.url}/ofrep/v1/evaluate/flags`));
  t.equal(bulkRequests().length, 1, 'one bulk evaluation');

  // The provider opens the stream the bulk response advertised.
  const stream = await waitFor('the provider to open the advertised event stream', async () =>
    requests.find((request) => request.url.startsWith(`${api.url}/ofrep/v1/event-stream?ticket=`)),
  );
  t.ok(stream, 'the advertised event stream was opened');

  await changeState(api.request, admin, 'banner', 'prod', { enabled: false });
  await page.waitForFunction(() => window.flagship.changes.some((change) => change.banner === false));
  t.equal(await page.evaluate(() => window.bannerValue()), false, 'the page sees the change');
  const [change] = await page.evaluate(() => window.flagship.changes);
  t.match(change, { banner: false });

  const refetches = bulkRequests().slice(1);
  t.ok(refetches.length >= 1, 'the stream event made the provider fetch again');
  t.ok(refetches.some((request) => request.headers['if-none-match']), 'with If-None-Match: the ETag header is exposed to the page');
  t.ok(refetches.some((request) => new URL(request.url).searchParams.has('flagConfigEtag')), "with the stream event's ETag (ADR-0008)");
  t.same(await page.evaluate(() => window.flagship.errors), []);
  t.same(problems, []);
});
