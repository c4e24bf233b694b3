import { randomInt } from 'node:crypto';
import t from 'tap';
import { definitionsOf, evaluateShared, type RuleTrace } from '../../packages/evaluation/index.js';
import { FlagShipClient, type Snapshot } from '../../packages/sdk/node.js';
import { buildCheckpoints, forgetKeptCheckpoints } from '../../shared/domain/history/checkpoints.js';
import { snapshotAsOf } from '../../shared/domain/history/history-service.js';
import { compareCodePoints } from '../../shared/domain/snapshots/snapshot-store.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';
import { waitFor } from '../helpers/worker.js';

// A randomized history: real SDK clients record the snapshot they hold at
// every version while a few hundred random changes (flags, strategies,
// segments, archives, another environment) are made over REST; then every
// recorded snapshot must equal, byte for byte, the API's snapshot as of that
// version. One environment ('late') is added after segments exist, so its
// early versions hold segments that have no event there yet.
const seed = Number(process.env.HISTORY_SEED ?? randomInt(2 ** 31));
t.comment(`seed ${seed} (HISTORY_SEED=${seed} to replay)`);
let state = seed;
/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let x = Math.imul(state ^ (state >>> 15), 1 | state);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const env = await createTestEnvironment(t, 'history-time-travel');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;

async function call(method: string, path: string, body?: unknown, accept: number[] = [200, 201, 204]) {
  const response = await request(method, path, { token: admin, body });
  if (!accept.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response;
}

/** Records the SDK's snapshot at every version it reaches, in the server's order (flags by code point, segments by id). */
function recordEveryVersion(client: FlagShipClient): Map<number, string> {
  const recorded = new Map<number, string>();
  const record = () => {
    const held = client.snapshot();
    if (!held) return;
    const ordered: Snapshot = {
      environment: held.environment,
      version: held.version,
      flags: [...held.flags].sort((a, b) => compareCodePoints(a.key, b.key)),
      segments: [...held.segments].sort((a, b) => a.id - b.id),
    };
    recorded.set(held.version, JSON.stringify(ordered));
  };
  client.on('change', record);
  return recorded;
}

async function watch(environment: string) {
  const token = await createSdkToken(request, admin, environment, `sdk-${environment}`);
  const client = new FlagShipClient({ url: notifier.url, token: token.secret, environment });
  t.teardown(() => client.close());
  const recorded = recordEveryVersion(client);
  await client.ready();
  const held = client.snapshot();
  if (held) recorded.set(held.version, JSON.stringify({ ...held, flags: [...held.flags].sort((a, b) => compareCodePoints(a.key, b.key)), segments: [...held.segments].sort((a, b) => a.id - b.id) }));
  return { client, recorded, token };
}

const staging = await watch('staging');
const flags: string[] = [];
const segments: number[] = [];
const environments = ['staging', 'prod'];
let flagCount = 0;

const contextNames = ['email', 'plan', 'country', 'appVersion'];
function randomConstraint() {
  const contextName = pick(contextNames);
  if (contextName === 'appVersion') return { contextName, operator: pick(['SEMVER_GTE', 'SEMVER_LT']), value: pick(['1.0.0', '2.3.0', '3.1.4']) };
  return { contextName, operator: pick(['IN', 'NOT_IN', 'STR_ENDS_WITH']), values: [pick(['pro', 'free', 'fr', 'de', '@acme.com'])], ...(random() < 0.3 ? { inverted: true } : {}) };
}

function randomConfig(key: string) {
  const strategies = Array.from({ length: Math.floor(random() * 3) }, (_, index) => {
    const strategy: Record<string, unknown> = random() < 0.5
      ? { name: 'flexibleRollout', parameters: { rollout: String(Math.floor(random() * 101)), stickiness: 'default', groupId: key } }
      : { name: 'userWithId', parameters: { userIds: 'u1,u2,u7' } };
    if (random() < 0.5) strategy.id = `s-${index}-${Math.floor(random() * 1000)}`;
    if (random() < 0.5) strategy.constraints = [randomConstraint()];
    if (segments.length > 0 && random() < 0.4) strategy.segments = [pick(segments)];
    if (random() < 0.3) strategy.variants = [{ name: 'blue', weight: 1000, stickiness: 'default' }];
    return strategy;
  });
  const variants = random() < 0.4 ? [{ name: 'a', weight: 500 }, { name: 'b', weight: 500 }] : [];
  const others = flags.filter((other) => other !== key);
  const dependencies = others.length > 0 && random() < 0.2 ? [{ feature: pick(others), ...(random() < 0.5 ? { enabled: false } : {}) }] : [];
  return { enabled: random() < 0.7, strategies, variants, dependencies };
}

const operations: Record<string, () => Promise<unknown>> = {
  createFlag: async () => {
    const key = `flag-${flagCount++}-${pick(['a', 'B', 'ü', '🚀', 'z'])}`;
    await call('POST', '/v1/flags', { key, environments: { staging: { enabled: random() < 0.5, rollout: Math.floor(random() * 101) } } });
    flags.push(key);
  },
  patch: async () => {
    if (flags.length === 0) return;
    const key = pick(flags);
    await call('PATCH', `/v1/flags/${encodeURIComponent(key)}/environments/${pick(environments)}`, { enabled: random() < 0.5 }, [200, 400]);
  },
  put: async () => {
    if (flags.length === 0) return;
    const key = pick(flags);
    await call('PUT', `/v1/flags/${encodeURIComponent(key)}/environments/${pick(environments)}`, randomConfig(key), [200]);
  },
  archive: async () => {
    if (flags.length < 4) return;
    const key = pick(flags);
    const response = await call('DELETE', `/v1/flags/${encodeURIComponent(key)}`, undefined, [200, 204, 409]);
    if (response.status !== 409) flags.splice(flags.indexOf(key), 1);
  },
  createSegment: async () => {
    const response = await call('POST', '/v1/segments', { name: `segment-${Math.floor(random() * 1e9)}`, constraints: [randomConstraint()] });
    segments.push(response.body.id);
  },
  updateSegment: async () => {
    if (segments.length === 0) return;
    await call('PATCH', `/v1/segments/${pick(segments)}`, { constraints: [randomConstraint(), randomConstraint()] });
  },
  deleteSegment: async () => {
    if (segments.length === 0) return;
    const id = pick(segments);
    const response = await call('DELETE', `/v1/segments/${id}`, undefined, [200, 204, 409]);
    if (response.status !== 409) segments.splice(segments.indexOf(id), 1);
  },
};
const weighted = [
  ...Array(4).fill('createFlag'), ...Array(6).fill('patch'), ...Array(7).fill('put'), 'archive',
  ...Array(2).fill('createSegment'), ...Array(2).fill('updateSegment'), 'deleteSegment',
];

const CHANGES = 300;
let late: Awaited<ReturnType<typeof watch>> | undefined;
for (let change = 0; change < CHANGES; change += 1) {
  if (change === 60) {
    // Added once segments exist: its version 0 already holds them, with no event there.
    await call('POST', '/v1/environments', { key: 'late' });
    environments.push('late');
    late = await watch('late');
  }
  await operations[pick(weighted)]!();
}

const watched = [
  { environment: 'staging', ...staging },
  { environment: 'late', ...late! },
];

t.test('every snapshot an SDK held equals the snapshot as of its version, byte for byte', async (t) => {
  for (const { environment, client, recorded } of watched) {
    const current = (await call('GET', `/v1/environments`)).body.environments.find((row: { key: string }) => row.key === environment).version;
    await waitFor(`the ${environment} client at version ${current}`, async () => client.version === current, 60_000);
    t.ok(recorded.size >= current * 0.9, `${environment}: the client recorded ${recorded.size} of ${current} versions`);
    let equal = 0;
    for (const [version, held] of recorded) {
      const asOf = await request('GET', `/v1/environments/${environment}/snapshot?asOf=${version}`, { token: admin });
      if (asOf.status === 200 && asOf.text === held) equal += 1;
      else t.equal(asOf.text, held, `${environment} at version ${version}`);
    }
    t.equal(equal, recorded.size, `${environment}: all ${recorded.size} recorded snapshots equal the as-of answer`);
    const now = await request('GET', '/v1/client/flags', { token: (environment === 'staging' ? staging : late!).token.secret });
    const asOfNow = await request('GET', `/v1/environments/${environment}/snapshot?asOf=${current}`, { token: admin });
    t.equal(asOfNow.text, now.text, `${environment}: as of the current version is /v1/client/flags`);
  }
});

t.test('from checkpoints the worker builds, every snapshot is the same', async (t) => {
  // The pass above read from checkpoints the readers built on the way (one from
  // the log by subject, then replays from it); now only the worker's chain
  // (each checkpoint replayed from the one before it, every 100 versions here).
  await env.pool.query('delete from snapshot_checkpoint');
  // Those the pass above read are also kept in memory (checkpoints.ts): from now on, only the worker's chain.
  forgetKeptCheckpoints(env.pool);
  for (const { environment, recorded } of watched) {
    const top = Math.max(...recorded.keys());
    let round = { doneUpTo: 0, built: 0 };
    do round = await buildCheckpoints(env.pool, environment, { from: round.doneUpTo, upTo: top });
    while (round.built > 0);
    const { rows } = await env.pool.query<{ count: number }>('select count(*)::int as count from snapshot_checkpoint where environment_key = $1', [environment]);
    t.equal(rows[0]!.count, Math.floor(top / 100) + 1, `${environment}: a checkpoint every 100 versions up to ${top}`);
    let equal = 0;
    for (const [version, held] of recorded) {
      const text = JSON.stringify(await snapshotAsOf(env.pool, environment, { version }));
      if (text === held) equal += 1;
      else t.equal(text, held, `${environment} at version ${version}`);
    }
    t.equal(equal, recorded.size, `${environment}: all ${recorded.size} recorded snapshots equal the one replayed from the checkpoints`);
  }
});

t.test('a time means the last version committed at or before it', async (t) => {
  const events = (await call('GET', '/v1/events?environment=staging&limit=1000')).body.events as { version: number; createdAt: string }[];
  let checked = 0;
  for (let index = 0; index + 1 < events.length && checked < 20; index += 1) {
    const at = Date.parse(events[index]!.createdAt) + 1;
    // createdAt is shown to the millisecond; the next event must be clearly later for the time to name this one.
    if (Date.parse(events[index + 1]!.createdAt) <= at + 1) continue;
    const time = new Date(at).toISOString();
    const byTime = await request('GET', `/v1/environments/staging/snapshot?asOf=${time}`, { token: admin });
    const byVersion = await request('GET', `/v1/environments/staging/snapshot?asOf=${events[index]!.version}`, { token: admin });
    t.equal(byTime.body.version, events[index]!.version, `${time} names version ${events[index]!.version}`);
    t.equal(byTime.text, byVersion.text);
    checked += 1;
  }
  t.ok(checked > 5, `checked ${checked} times`);
});

t.test('the playground at a past version answers as evaluation over what the SDK held then', async (t) => {
  const { recorded } = watched[0]!;
  const versions = [...recorded.keys()].sort((a, b) => a - b);
  const contexts = [
    { targetingKey: 'u1', email: 'ada@acme.com', plan: 'pro', appVersion: '2.4.0' },
    { targetingKey: 'u42', country: 'fr', plan: 'free', appVersion: '1.0.0' },
    { userId: 'u7', properties: { country: 'de', email: 'x@y.z' } },
    // No user id: a partial rollout answers TARGETING_KEY_MISSING; variants hash the address (an empty context would draw at random).
    { remoteAddress: '10.0.0.1' },
  ];
  let compared = 0;
  for (let index = 0; index < versions.length; index += Math.max(1, Math.floor(versions.length / 25))) {
    const version = versions[index]!;
    const held = JSON.parse(recorded.get(version)!) as Snapshot;
    const definitions = definitionsOf(held.flags, held.segments);
    for (const context of contexts) {
      const response = await request('POST', '/v1/playground', { token: admin, body: { environment: 'staging', context, asOf: version } });
      t.equal(response.status, 200);
      const trace: RuleTrace = {};
      const expected = held.flags.map((flag) => JSON.parse(JSON.stringify({ key: flag.key, ...evaluateShared(definitions, flag.key, context, trace) })));
      t.same(response.body, { environment: 'staging', version, flags: expected }, `version ${version}, context ${JSON.stringify(context)}`);
      compared += 1;
    }
  }
  t.ok(compared >= 40, `compared ${compared} answers`);
});
