import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createFlags, createSdkToken } from '../evaluation/fixtures.js';
import { openEventStream, readStreamEvents } from './event-stream-client.js';

/*
 * The OFREP event stream's contract that holds whatever the snapshot reader:
 * how it is found, opened and refused, and what it sends first. Pushing changes
 * (snapshots.onChange) is in event-stream-push.test.ts.
 */

const env = await createTestEnvironment(t, 'ofrep-event-stream');
const api = await startTestApi(t, env);
const { request } = api;
const admin = env.adminSecret;

await createFlags(request, admin, { new_ui: { prod: { enabled: true, rollout: 25 } } });
const prod = await createSdkToken(request, admin, 'prod');
const prodVersion = (await request('GET', '/v1/environments', { token: admin })).body.environments
  .find((environment: { key: string }) => environment.key === 'prod').version as number;

async function streamUrl(secret = prod.secret): Promise<string> {
  const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: secret, body: { context: { targetingKey: 'u' } } });
  return bulk.body.eventStreams[0].url;
}

t.test('the advertised URL opens a stream that starts with the current version', async (t) => {
  const stream = openEventStream(await streamUrl());
  t.teardown(() => stream.close());
  const first = await stream.next();
  t.same(first, { id: String(prodVersion), data: { type: 'refetchEvaluation', etag: `"${prodVersion}"` } });
});

t.test('the stream is text/event-stream, uncached, and says event: message', async (t) => {
  const response = await fetch(await streamUrl());
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /^text\/event-stream/);
  t.match(response.headers.get('cache-control'), /no-cache/);
  const [event] = await readStreamEvents(response, 1);
  t.equal(event, `id: ${prodVersion}\nevent: message\ndata: {"type":"refetchEvaluation","etag":"\\"${prodVersion}\\""}`);
});

t.test('Last-Event-ID older than the current version gets the current one at once', async (t) => {
  const response = await fetch(await streamUrl(), { headers: { 'last-event-id': String(prodVersion - 1) } });
  const [event] = await readStreamEvents(response, 1);
  t.match(event, new RegExp(`^id: ${prodVersion}\n`));
});

t.test('an sdk bearer token works too, for clients that can send headers', async (t) => {
  const stream = openEventStream(`${api.url}/ofrep/v1/event-stream`, { authorization: `Bearer ${prod.secret}` });
  t.teardown(() => stream.close());
  t.equal((await stream.next()).data.etag, `"${prodVersion}"`);
});

t.test('refused: no credential, a forged ticket, an admin token, a revoked token', async (t) => {
  const url = new URL(await streamUrl());
  const ticket = url.searchParams.get('ticket')!;
  const anonymous = await fetch(`${api.url}/ofrep/v1/event-stream`);
  t.equal(anonymous.status, 401);
  t.match(await anonymous.json(), { errorDetails: String });

  const [tokenId, expiry, mac] = ticket.split('.') as [string, string, string];
  const forgedMac = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
  const forgeries = [
    `${tokenId}.${expiry}.${forgedMac}`,
    `${tokenId}.${Number(expiry) + 86_400}.${mac}`,
    `${tokenId}.${expiry}.`,
    `${tokenId}.${mac}`,
    'garbage',
    `00000000-0000-0000-0000-000000000000.${expiry}.${mac}`,
  ];
  for (const forged of forgeries) {
    const response = await fetch(`${api.url}/ofrep/v1/event-stream?ticket=${encodeURIComponent(forged)}`);
    t.equal(response.status, 401, forged);
    t.match(await response.json(), { errorDetails: /ticket/ });
  }

  const asAdmin = await fetch(`${api.url}/ofrep/v1/event-stream`, { headers: { authorization: `Bearer ${admin}` } });
  t.equal(asAdmin.status, 403);

  const doomed = await createSdkToken(request, admin, 'prod');
  const doomedUrl = await streamUrl(doomed.secret);
  const before = await fetch(doomedUrl);
  t.equal(before.status, 200);
  await before.body!.cancel();
  await request('DELETE', `/v1/tokens/${doomed.id}`, { token: admin });
  t.equal((await fetch(doomedUrl)).status, 401, 'the ticket dies with its token');
});

t.test('closing the API ends open streams (server.close() does not wait for them forever)', async (t) => {
  const second = await startTestApi(t, env);
  const bulk = await second.request('POST', '/ofrep/v1/evaluate/flags', { token: prod.secret, body: {} });
  const response = await fetch(bulk.body.eventStreams[0].url);
  const reader = response.body!.getReader();
  await reader.read();
  await second.close();
  let done = false;
  while (!done) done = (await reader.read()).done;
  t.ok(done, 'the stream ended');
});
