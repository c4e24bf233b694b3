import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import type { Unleash } from 'unleash-client';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { ensureServerBuilt } from '../../scripts/build/server-build.js';
import { unleashStateOf } from '../../services/api/unleash/client-features.js';
import { loadSnapshot } from '../../shared/domain/snapshots/snapshot-repository.js';
import { inKeyOrder } from '../../shared/domain/snapshots/snapshot-store.js';
import { logLines, startService, type ServiceProcess } from '../api/support/service-process.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { freePort, startHaproxy } from '../helpers/haproxy.js';
import { httpClient } from '../helpers/http.js';
import { deleteRedisKeys } from '../helpers/redis.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { bodyOf } from '../helpers/webhooks.js';
import { startWebhookReceiver, type ReceivedRequest } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/worker.js';
import { openEventStream, type TestEventStream } from '../ofrep/event-stream-client.js';
import { startUnleashClient } from '../unleash/support.js';

// FlagShip as a cluster, as docs/operations.md describes it: Debian's HAProxy
// in front of 2 API processes and 2 notifiers (round-robin, no stickiness;
// Socket.IO on WebSocket only, which needs none), 2 workers, one PostgreSQL
// (through a fault proxy) and one Redis prefix. SDK clients, OFREP event
// streams and Unleash streaming clients all go through HAProxy while writers
// change flags through it, a ramp steps and a webhook receives every change;
// meanwhile one API, one notifier and one worker are SIGKILLed and restarted,
// Redis is flushed (this file's prefix only) and PostgreSQL's connections are
// cut. Afterwards: every acknowledged write is in PostgreSQL, every client is
// at PostgreSQL's last version having seen every version once (SDK clients),
// the ramp made each step exactly once and the webhook got every event, in order.

const WRITERS = 4;
const CHANGES_PER_WRITER = 30;
const TOTAL = WRITERS * CHANGES_PER_WRITER;
const SDK_CLIENTS = 12;
const EVENT_STREAMS = 6;
const UNLEASH_CLIENTS = 3;
const POSTGRES_CUT_MS = 1500;
/** Bounds that turn a hang into a failure; not speed requirements. */
// A step whose job the killed worker held waits for BullMQ to see it stalled (its lock, then the stalled check: up to a minute) unless the restarted worker reconciles it first.
const CONVERGE_BOUND_MS = 90_000;
const WRITE_BOUND_MS = 30_000;

// A bound for a loaded machine (2 cores shared with other test files); about a minute on an idle one.
t.setTimeout(300_000);
const started = performance.now();
const phase = (what: string) => process.env.CLUSTER_TRACE && process.stderr.write(`${Math.round(performance.now() - started)} ms: ${what}\n`);
const env = await createTestEnvironment(t, 'cluster');
const admin = env.adminSecret;
const postgres = new URL(env.config.databaseUrl);
const postgresProxy = await new TcpProxy(postgres.hostname, Number(postgres.port || 5432)).start();
t.teardown(() => postgresProxy.close());

// The built JavaScript, as `npm run start:<service>`, the image and the chart run it (a
// start through tsx costs seconds of CPU each, and this file starts nine processes).
await ensureServerBuilt();
type Kind = 'api' | 'notifier' | 'worker';
const ENTRY: Record<Kind, { script: string; portVariable: string }> = {
  api: { script: 'dist/services/api/main.js', portVariable: 'PORT' },
  notifier: { script: 'dist/services/notifier/main.js', portVariable: 'NOTIFIER_PORT' },
  worker: { script: 'dist/services/worker/main.js', portVariable: 'WORKER_PORT' },
};
const ports: Record<Kind, number[]> = {
  api: [await freePort(), await freePort()],
  notifier: [await freePort(), await freePort()],
  worker: [await freePort(), await freePort()],
};
const haproxy = await startHaproxy(t, { api: ports.api, notifier: ports.notifier });

const serviceEnv = {
  DATABASE_URL: viaProxy(env.config.databaseUrl, postgresProxy.port),
  REDIS_URL: env.config.redisUrl,
  FLAGSHIP_REDIS_PREFIX: env.config.redisPrefix,
  FLAGSHIP_ADMIN_TOKEN: admin,
  // What the APIs advertise (OFREP's event-stream URL): the load balancer, never a process.
  FLAGSHIP_PUBLIC_URL: haproxy.url,
  FLAGSHIP_WEBHOOK_ALLOW_PRIVATE: 'true',
  FLAGSHIP_WEBHOOK_RETRY_BASE_MS: '100',
  LOG_LEVEL: 'info',
};

/** Each process by kind and index; a restart replaces the entry on the same port. */
const running: Record<Kind, ServiceProcess[]> = { api: [], notifier: [], worker: [] };

async function startProcess(kind: Kind, index: number): Promise<void> {
  const { script, portVariable } = ENTRY[kind];
  const service = startService(script, { ...serviceEnv, PORT: '0', NOTIFIER_PORT: '0', WORKER_PORT: '0', [portVariable]: String(ports[kind][index]) });
  t.teardown(() => {
    service.child.kill('SIGKILL');
  });
  running[kind][index] = service;
  await service.waitForLine((line) => line.includes('"msg":"started"'));
}

async function killAndRestart(kind: Kind, index: number): Promise<string> {
  const service = running[kind][index]!;
  service.child.kill('SIGKILL');
  const how = await service.exited;
  await startProcess(kind, index);
  return `${kind} ${index} killed (${how}) and restarted`;
}

await Promise.all((Object.keys(ports) as Kind[]).flatMap((kind) => ports[kind].map((_, index) => startProcess(kind, index))));
const request = httpClient(haproxy.url);
phase('processes started');
// HAProxy marks a server up after one good /readyz; every process is started, so each is within a check interval.
await waitFor('HAProxy to route to the APIs', async () => (await request('GET', '/readyz')).status === 200);

async function must(method: string, path: string, body: unknown, status: number) {
  const response = await request(method, path, { token: admin, body });
  if (response.status !== status) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.body;
}

phase('routed');
const receiver = await startWebhookReceiver(t);
await must('POST', '/v1/webhooks', { url: `${receiver.url}/cluster`, environments: ['prod'] }, 201);
const flagKeys = Array.from({ length: WRITERS }, (_, writer) => `cluster_${writer}`);
for (const key of [...flagKeys, 'cluster_ramp']) {
  await must('POST', '/v1/flags', { key, environments: { prod: { enabled: true, rollout: 0 } } }, 201);
}
const sdk = (await must('POST', '/v1/tokens', { name: 'cluster sdk', kind: 'sdk', environment: 'prod' }, 201)).secret as string;

interface ObservedClient {
  client: FlagShipClient;
  versions: number[];
  snapshotsAfterReady: number;
}
const sdkClients: ObservedClient[] = [];
for (let index = 0; index < SDK_CLIENTS; index += 1) {
  // Through HAProxy: each (re)connect lands on whichever notifier round-robin picks.
  const client = new FlagShipClient({ url: haproxy.url, token: sdk, reconnectDelayMs: 100, reconnectDelayMaxMs: 500, readyTimeoutMs: 20_000 });
  t.teardown(() => client.close());
  sdkClients.push({ client, versions: [], snapshotsAfterReady: 0 });
}
await Promise.all(sdkClients.map((entry) => entry.client.ready()));
phase('sdk ready');
for (const entry of sdkClients) {
  entry.versions.push(entry.client.version!);
  entry.client.on('change', (change) => {
    if (change.source === 'snapshot') entry.snapshotsAfterReady += 1;
    entry.versions.push(change.version);
  });
}

const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: sdk, body: { context: { targetingKey: 'user-1' } } });
const streamUrl = bulk.body.eventStreams[0].url as string;
// A stream refused while its API died (HAProxy's 502/503) is ended for good by EventSource;
// it is opened again, as OpenFeature's OFREP web provider does.
const streams: TestEventStream[] = Array.from({ length: EVENT_STREAMS }, () => openEventStream(streamUrl, {}, { reopenAfterMs: 200 }));
for (const stream of streams) t.teardown(() => stream.close());
await Promise.all(streams.map((stream) => stream.next()));
phase('streams open');
const streamVersion = (stream: TestEventStream) => Math.max(-1, ...stream.received.map((message) => Number(message.id)));

const unleashClients: Unleash[] = await Promise.all(
  Array.from({ length: UNLEASH_CLIENTS }, () => startUnleashClient(t, haproxy.url, sdk, { experimentalMode: { type: 'streaming' } })),
);

phase('unleash ready');
// Steps a few seconds apart, so they fall among the faults.
const rampStart = Date.now();
const ramp = await must('POST', '/v1/flags/cluster_ramp/environments/prod/rollouts', {
  steps: [10, 20, 30].map((rollout, index) => ({ rollout, at: new Date(rampStart + 3000 * (index + 1)).toISOString() })),
}, 201);

const acknowledged: Array<{ flag: string; version: number; rollout: number }> = [];
let written = 0;
/** Writes claimed so far, and how many the fault schedule lets through. */
let claimed = 0;
let permitted = 0;
let failedAttempts = 0;

/** One change, retried until acknowledged (a 502 from a killed API, a 503 while PostgreSQL is cut). */
async function write(flag: string, rollout: number): Promise<void> {
  const deadline = Date.now() + WRITE_BOUND_MS;
  for (;;) {
    const response = await request('PATCH', `/v1/flags/${flag}/environments/prod`, { token: admin, body: { rollout } }).catch(() => undefined);
    if (response?.status === 200) {
      acknowledged.push({ flag, version: response.body.version, rollout });
      return;
    }
    failedAttempts += 1;
    if (Date.now() > deadline) throw new Error(`${flag} = ${rollout} never acknowledged: ${response?.status} ${response?.text}`);
    await sleep(100);
  }
}

async function writer(index: number): Promise<void> {
  for (let change = 0; change < CHANGES_PER_WRITER; change += 1) {
    while (claimed >= permitted) await sleep(5);
    claimed += 1;
    // 1..30: each write differs from the one before, so each is a change.
    await write(flagKeys[index]!, change + 1);
    written += 1;
    await sleep(20);
  }
}

async function whenWritten(count: number): Promise<void> {
  while (written < count) await sleep(5);
}

// Each fault happens at a point in the writes, and the writes wait there for it.
const faults: string[] = [];
async function disrupt(): Promise<void> {
  const at = (share: number) => Math.round(TOTAL * share);
  const step = async (share: number, fault: () => Promise<string>) => {
    permitted = at(share);
    await whenWritten(at(share));
    // The writes go on while the process restarts.
    permitted = TOTAL;
    faults.push(await fault());
    phase(faults.at(-1)!);
  };
  await step(0.1, () => killAndRestart('api', 0));
  await step(0.25, () => killAndRestart('notifier', 0));
  await step(0.4, () => killAndRestart('worker', 0));
  await step(0.55, async () => {
    await deleteRedisKeys(env.config.redisPrefix);
    return 'Redis flushed';
  });
  await step(0.7, async () => {
    postgresProxy.cut();
    await sleep(POSTGRES_CUT_MS);
    postgresProxy.restore();
    return "PostgreSQL's connections cut";
  });
  permitted = TOTAL;
}

// No assertion at the top level before the subtests: tap would end the root test after it.
await Promise.all([...flagKeys.map((_, index) => writer(index)), disrupt()]);
const writesDoneAt = performance.now();
phase('writes done');

async function truth() {
  return loadSnapshot(env.pool, 'prod');
}
const rampDone = await waitFor(
  'the ramp to complete',
  async () => {
    const state = await request('GET', `/v1/rollouts/${ramp.id}`, { token: admin });
    return state.status === 200 && state.body.status === 'completed' && state.body;
  },
  CONVERGE_BOUND_MS,
);
const final = await truth();
phase('ramp done');
const unleashFeatures = (client: Unleash) =>
  inKeyOrder(client.getFeatureToggleDefinitions().map(({ name, enabled, strategies }) => ({ key: name, enabled, strategies })));
const expectedUnleash = inKeyOrder(unleashStateOf(final).features.map(({ name, enabled, strategies }) => ({ key: name, enabled, strategies })));
const { rows: events } = await env.pool.query<{ version: number }>(`select version from change_event where environment_key = 'prod' order by version`);
const isAccepted = (r: ReceivedRequest) => r.status !== undefined && r.status >= 200 && r.status < 300;
const deliveredVersions = () => [...new Set(receiver.requests.filter(isAccepted).map((r) => bodyOf(r).version as number))];
await waitFor(
  'every client, stream and webhook to reach the last version',
  async () =>
    sdkClients.every((entry) => entry.client.version === final.version)
    && streams.every((stream) => streamVersion(stream) === final.version)
    && unleashClients.every((client) => isDeepStrictEqual(unleashFeatures(client), expectedUnleash))
    && deliveredVersions().length >= events.length,
  CONVERGE_BOUND_MS,
).catch(() => undefined);
const convergedMs = performance.now() - writesDoneAt;
phase('converged');

t.test('every write and every fault happened', async (t) => {
  t.equal(written, TOTAL);
  t.same(faults, [
    'api 0 killed (SIGKILL) and restarted',
    'notifier 0 killed (SIGKILL) and restarted',
    'worker 0 killed (SIGKILL) and restarted',
    'Redis flushed',
    "PostgreSQL's connections cut",
  ]);
  const listening = logLines(running.notifier[1]!.stdout).find((entry) => entry.msg === 'notifier listening');
  t.type(listening?.openFileLimit, 'number', "a notifier logs its open-file limit at start: the most sockets it can hold");
  t.comment(`${failedAttempts} write attempts failed and were retried (502/503 while a process died or PostgreSQL was cut)`);
});

t.test('every acknowledged write is in PostgreSQL', async (t) => {
  const { rows } = await env.pool.query<{ version: number; flag: string; rollout: number | null }>(
    `select version, flag_key as flag, (after->>'rollout')::int as rollout from change_event where environment_key = 'prod'`,
  );
  const stored = new Map(rows.map((row) => [row.version, row]));
  const missing = acknowledged.filter((change) => !isDeepStrictEqual(stored.get(change.version), change));
  t.same(missing, [], `${acknowledged.length} acknowledged writes, each the event of its version`);
  const lastOf = (flag: string) => final.flags.find((state) => state.key === flag);
  for (const key of flagKeys) t.match(lastOf(key), { rollout: CHANGES_PER_WRITER }, `${key} ends at its last write`);
});

t.test('every SDK client (Socket.IO through HAProxy) is at the last version, having seen every version once', async (t) => {
  for (const [index, entry] of sdkClients.entries()) {
    t.equal(entry.client.version, final.version, `client ${index} reached version ${final.version}`);
    t.same(inKeyOrder(entry.client.snapshot()?.flags ?? []), inKeyOrder(final.flags), `client ${index} holds PostgreSQL's flags`);
    const first = entry.versions[0]!;
    t.same(entry.versions, Array.from({ length: final.version - first + 1 }, (_, offset) => first + offset), `client ${index}: no gap, no duplicate`);
    t.equal(entry.snapshotsAfterReady, 0, `client ${index} resumed by replay, never by a snapshot`);
    t.equal(entry.client.stats.duplicatesIgnored, 0, `client ${index} was sent no version twice`);
    t.equal(entry.client.stats.gapsDetected, 0, `client ${index} was sent no gap`);
  }
  t.ok(sdkClients.some((entry) => entry.client.stats.syncs >= 2), "the killed notifier's clients reconnected through HAProxy and resumed");
});

t.test('every OFREP event stream is at the last version', async (t) => {
  for (const [index, stream] of streams.entries()) {
    t.equal(streamVersion(stream), final.version, `stream ${index}`);
    const ids = stream.received.map((message) => Number(message.id));
    t.same(ids, [...ids].sort((a, b) => a - b), `stream ${index}: versions never go back`);
    if (stream.failures.length > 0) t.comment(`stream ${index} was refused and opened again: ${stream.failures.join(', ')}`);
  }
});

t.test('every Unleash streaming client holds what PostgreSQL holds', async (t) => {
  for (const [index, client] of unleashClients.entries()) t.same(unleashFeatures(client), expectedUnleash, `unleash client ${index}`);
});

t.test('the ramp made each step once, in order', async (t) => {
  t.match(rampDone, { status: 'completed' });
  const { rows } = await env.pool.query<{ rollout: number }>(
    `select (after->>'rollout')::int as rollout from change_event where environment_key = 'prod' and flag_key = 'cluster_ramp' order by version`,
  );
  t.same(rows.map((row) => row.rollout), [0, 10, 20, 30], 'created at 0, then 10, 20, 30, each once');
});

t.test('the webhook received every event, in version order', async (t) => {
  const versions = events.map((event) => event.version);
  t.same(deliveredVersions(), versions, 'every version delivered, first deliveries in version order');
  const bodies = new Map<string, Set<string>>();
  for (const r of receiver.requests) bodies.set(r.headers['webhook-id']!, (bodies.get(r.headers['webhook-id']!) ?? new Set()).add(r.body));
  t.ok([...bodies.values()].every((set) => set.size === 1), 'a webhook-id always carries the same event');
  t.comment(`${receiver.requests.length} webhook requests for ${versions.length} events (at least once: a killed worker may send one again)`);
});

t.comment(`cluster test: ${TOTAL} writes amid the faults, converged ${Math.round(convergedMs)} ms after the last write, ${Math.round((performance.now() - started) / 1000)} s in all`);
