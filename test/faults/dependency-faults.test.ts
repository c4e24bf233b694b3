import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { inKeyOrder, readCachedSnapshot } from '../../shared/domain/snapshots/snapshot-store.js';
import { loadSnapshot } from '../../shared/domain/snapshots/snapshot-repository.js';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { logLines, startService, type ServiceProcess } from '../api/support/service-process.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { openEventStream } from '../ofrep/event-stream-client.js';

// The API and the notifier run as separate processes, each reaching
// PostgreSQL and Redis through a TCP proxy that the test breaks: connections
// reset, then a partition (connections stay open, nothing answers), for
// PostgreSQL and for Redis, a few seconds each, under a steady mix of SDK
// reads, admin reads and writes, readiness probes and a ramp creation.
// During each fault every answer must come (within a bound that only turns a
// hang into a failure) and be a 2xx or a 503 with Retry-After, never a 500;
// SDK reads keep answering from the cache; connected SDK clients keep
// evaluating and, while Redis is the one away, keep receiving changes (over
// Socket.IO and over OFREP's SSE stream). After each fault everything
// converges to PostgreSQL. Timings are printed (t.comment), not asserted.

const FAULT_MS = 3000;
/** Not a speed requirement: only what tells an answer that came late from a request that hangs. */
const ANSWER_BOUND_MS = 15_000;
const CONVERGE_BOUND_MS = 30_000;
const LOAD_WORKERS = 4;

const env = await createTestEnvironment(t, 'dependency-faults');
const admin = env.adminSecret;
const postgresUrl = new URL(env.config.databaseUrl);
const redisUrl = new URL(env.config.redisUrl);
const postgresProxy = await new TcpProxy(postgresUrl.hostname, Number(postgresUrl.port || 5432)).start();
const redisProxy = await new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379)).start();
t.teardown(() => postgresProxy.close());
t.teardown(() => redisProxy.close());

const serviceEnv = {
  DATABASE_URL: viaProxy(env.config.databaseUrl, postgresProxy.port),
  REDIS_URL: viaProxy(env.config.redisUrl, redisProxy.port),
  FLAGSHIP_REDIS_PREFIX: env.config.redisPrefix,
  FLAGSHIP_ADMIN_TOKEN: admin,
  PORT: '0',
  NOTIFIER_PORT: '0',
  LOG_LEVEL: 'info',
  // Short bounds keep the file short; the defaults are a few seconds each.
  FLAGSHIP_DB_CONNECT_TIMEOUT_MS: '1000',
  FLAGSHIP_DB_QUERY_TIMEOUT_MS: '1000',
  FLAGSHIP_REDIS_COMMAND_TIMEOUT_MS: '500',
  FLAGSHIP_REDIS_CONNECT_TIMEOUT_MS: '500',
};

async function startProcess(script: string, listening: string): Promise<{ service: ServiceProcess; port: number }> {
  const service = startService(script, serviceEnv);
  t.teardown(() => {
    service.child.kill('SIGKILL');
  });
  await service.waitForLine((line) => line.includes('"msg":"started"'));
  const line = logLines(service.stdout).find((entry) => entry.msg === listening) as { port: number };
  return { service, port: line.port };
}

const [api, notifier] = await Promise.all([
  startProcess('services/api/main.ts', 'API listening'),
  startProcess('services/notifier/main.ts', 'notifier listening'),
]);
const apiUrl = `http://127.0.0.1:${api.port}`;

interface Answer {
  op: string;
  status: number;
  ms: number;
  retryAfter: string | null;
  body: any;
}

/** One request, timed; a request that outlives ANSWER_BOUND_MS counts as a hang (status -1). */
async function call(op: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(ANSWER_BOUND_MS),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { op, status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after'), body: parsed };
  } catch (error) {
    return { op, status: -1, ms: performance.now() - started, retryAfter: null, body: String(error) };
  }
}

async function must(answer: Promise<Answer>, status: number): Promise<Answer> {
  const settled = await answer;
  if (settled.status !== status) throw new Error(`${settled.op}: expected ${status}, got ${settled.status} ${JSON.stringify(settled.body)}`);
  return settled;
}

/** Polls `probe` until it holds or `timeoutMs` passes; says which. */
async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(50);
  }
  return probe();
}

const FAULTS = ['PostgreSQL reset', 'PostgreSQL partition', 'Redis reset', 'Redis partition'] as const;
type Fault = (typeof FAULTS)[number];

await must(call('create flag', 'POST', '/v1/flags', admin, { key: 'fault_read', environments: { prod: { enabled: true, rollout: 50 } } }), 201);
await must(call('create flag', 'POST', '/v1/flags', admin, { key: 'fault_write', environments: { prod: { enabled: true, rollout: 0 } } }), 201);
for (const [index] of FAULTS.entries()) {
  await must(call('create flag', 'POST', '/v1/flags', admin, { key: `fault_ramp_${index}`, environments: { prod: { enabled: true, rollout: 0 } } }), 201);
}
const sdk = (await must(call('create token', 'POST', '/v1/tokens', admin, { name: 'fault sdk', kind: 'sdk', environment: 'prod' }), 201)).body.secret as string;
// Never used before the PostgreSQL faults: the API cannot vouch for it from memory.
const stranger = (await must(call('create token', 'POST', '/v1/tokens', admin, { name: 'fault stranger', kind: 'sdk', environment: 'prod' }), 201)).body.secret as string;

const context = { context: { targetingKey: 'user-7' } };
const bulk = await must(call('ofrep bulk', 'POST', '/ofrep/v1/evaluate/flags', sdk, context), 200);
const stream = openEventStream(bulk.body.eventStreams[0].url);
t.teardown(() => stream.close());
const client = new FlagShipClient({ url: `http://127.0.0.1:${notifier.port}`, token: sdk, reconnectDelayMs: 100, reconnectDelayMaxMs: 500 });
t.teardown(() => client.close());
await client.ready();
await stream.next();

const streamVersion = () => Math.max(-1, ...stream.received.map((message) => Number(message.id)));

/** Acknowledged writes, to check each is stored exactly once. */
const acknowledgedChanges: Array<{ version: number; rollout: number }> = [];
const acknowledgedTokens: string[] = [];
const attemptedTokens: string[] = [];
let nextRollout = 1;
let nextToken = 0;

const sdkReads = (): Array<() => Promise<Answer>> => [
  () => call('GET /v1/client/flags', 'GET', '/v1/client/flags', sdk),
  () => call('POST /v1/client/evaluate', 'POST', '/v1/client/evaluate', sdk, { context: { key: 'user-7' } }),
  () => call('OFREP single', 'POST', '/ofrep/v1/evaluate/flags/fault_read', sdk, context),
  () => call('OFREP bulk', 'POST', '/ofrep/v1/evaluate/flags', sdk, context),
];

async function patch(): Promise<Answer> {
  const rollout = nextRollout;
  nextRollout = (nextRollout % 100) + 1;
  const answer = await call('PATCH flag state', 'PATCH', '/v1/flags/fault_write/environments/prod', admin, { rollout });
  if (answer.status === 200) acknowledgedChanges.push({ version: answer.body.version, rollout });
  return answer;
}

async function createToken(): Promise<Answer> {
  const name = `fault token ${nextToken++}`;
  attemptedTokens.push(name);
  const answer = await call('POST /v1/tokens', 'POST', '/v1/tokens', admin, { name, kind: 'sdk', environment: 'prod' });
  if (answer.status === 201) acknowledgedTokens.push(name);
  return answer;
}

const strangerRead = (): Promise<Answer> => call('unknown token: OFREP bulk', 'POST', '/ofrep/v1/evaluate/flags', stranger, context);

const mix: Array<() => Promise<Answer>> = [
  ...sdkReads(),
  patch,
  () => call('GET /readyz', 'GET', '/readyz', undefined),
  () => strangerRead(),
  () => call('GET /v1/flags', 'GET', '/v1/flags', admin),
  createToken,
  patch,
];

interface FaultReport {
  fault: Fault;
  answers: Answer[];
  evaluations: number;
  failedEvaluations: number;
  changesDuringFault: number;
  pushedDuringFault: { socket: boolean; stream: boolean } | undefined;
  convergeMs: number;
  /** What still differed from PostgreSQL when the wait ended (empty: converged). */
  divergences: string[];
}

function breakStore(fault: Fault): void {
  if (fault === 'PostgreSQL reset') postgresProxy.reset();
  if (fault === 'PostgreSQL partition') postgresProxy.blackHole();
  if (fault === 'Redis reset') redisProxy.reset();
  if (fault === 'Redis partition') redisProxy.blackHole();
}

async function truth() {
  return loadSnapshot(env.pool, 'prod');
}

/** What still differs from PostgreSQL (empty once everything converged). */
async function divergences(): Promise<string[]> {
  const expected = await truth();
  const served = await call('GET /v1/client/flags', 'GET', '/v1/client/flags', sdk);
  const cached = await readCachedSnapshot(env.redis, env.redisPrefix, 'prod');
  const differences: string[] = [];
  if (client.version !== expected.version) differences.push(`client at ${client.version}, PostgreSQL at ${expected.version}`);
  else if (!isDeepStrictEqual(inKeyOrder(client.snapshot()?.flags ?? []), inKeyOrder(expected.flags))) differences.push("client's flags differ");
  if (served.status !== 200 || served.body.version !== expected.version) differences.push(`API served ${served.status} version ${served.body?.version}`);
  if (cached?.version !== expected.version) differences.push(`Redis holds ${cached?.version}`);
  if (streamVersion() !== expected.version) differences.push(`SSE stream at ${streamVersion()}`);
  return differences;
}

async function runFault(fault: Fault, index: number): Promise<FaultReport> {
  const changesBefore = acknowledgedChanges.length;
  // The token and snapshot are known to the API before the fault, as for a running app.
  for (const read of sdkReads()) await must(read(), 200);

  breakStore(fault);
  const until = Date.now() + FAULT_MS;
  const answers: Answer[] = [];
  let evaluations = 0;
  let failedEvaluations = 0;
  const ramp = call('POST rollouts', 'POST', `/v1/flags/fault_ramp_${index}/environments/prod/rollouts`, admin, {
    steps: [{ rollout: 50, at: new Date(Date.now() + 3_600_000).toISOString() }],
  });
  // One request from a token never seen is always made during the fault (the
  // mix makes more when the machine is fast enough to reach it in FAULT_MS).
  const strangerAnswer = strangerRead();
  await Promise.all(
    Array.from({ length: LOAD_WORKERS }, async (_, worker) => {
      for (let step = worker; Date.now() < until; step += 1) {
        answers.push(await mix[step % mix.length]!());
        // The app keeps evaluating locally whatever the server goes through.
        evaluations += 1;
        const evaluation = client.evaluate('fault_read', { key: `user-${step}` });
        if (evaluation.reason === 'ERROR' || typeof evaluation.value !== 'boolean') failedEvaluations += 1;
      }
    }),
  );
  answers.push(await ramp, await strangerAnswer);

  let pushedDuringFault: FaultReport['pushedDuringFault'];
  const changesDuringFault = acknowledgedChanges.length - changesBefore;
  if (fault.startsWith('Redis') && changesDuringFault > 0) {
    // Still during the fault: every acknowledged change reaches the running apps.
    const last = acknowledgedChanges[acknowledgedChanges.length - 1]!.version;
    pushedDuringFault = {
      socket: await eventually(() => (client.version ?? -1) >= last, 10_000),
      stream: await eventually(() => streamVersion() >= last, 10_000),
    };
  }

  const restoredAt = performance.now();
  if (fault.startsWith('PostgreSQL')) postgresProxy.restore();
  else redisProxy.restore();
  // One more change after the fault, to see pushes and caches move on again.
  const after = Date.now() + CONVERGE_BOUND_MS;
  while (Date.now() < after && (await patch()).status !== 200) await sleep(100);
  let differences: string[] = [];
  await eventually(async () => (differences = await divergences()).length === 0, CONVERGE_BOUND_MS);
  return {
    fault,
    answers,
    evaluations,
    failedEvaluations,
    changesDuringFault,
    pushedDuringFault,
    convergeMs: performance.now() - restoredAt,
    divergences: differences,
  };
}

const reports: FaultReport[] = [];
for (const [index, fault] of FAULTS.entries()) reports.push(await runFault(fault, index));

for (const report of reports) {
  t.test(report.fault, async (t) => {
    const { answers } = report;
    t.ok(answers.length > 0, 'requests were answered during the fault');
    const hung = answers.filter((answer) => answer.status === -1);
    t.same(hung.map((answer) => answer.op), [], `no request outlived ${ANSWER_BOUND_MS} ms`);
    const wrong = answers.filter((answer) => answer.status !== -1 && !(answer.status >= 200 && answer.status < 300) && answer.status !== 503);
    t.same(wrong.map((answer) => `${answer.op}: ${answer.status} ${JSON.stringify(answer.body)}`), [], 'every answer is a 2xx or a 503 (never a 500)');
    const unavailable = answers.filter((answer) => answer.status === 503);
    t.ok(unavailable.every((answer) => answer.retryAfter !== null), 'every 503 carries Retry-After');
    const sdkFailures = answers.filter(
      (answer) => (answer.op.startsWith('GET /v1/client') || answer.op.startsWith('POST /v1/client') || answer.op.startsWith('OFREP')) && answer.status !== 200,
    );
    t.same(sdkFailures.map((answer) => `${answer.op}: ${answer.status}`), [], 'SDK reads keep answering from the cache');
    if (report.fault.startsWith('PostgreSQL')) {
      const strangers = answers.filter((answer) => answer.op.startsWith('unknown token'));
      t.ok(strangers.length > 0 && strangers.every((answer) => answer.status === 503), 'OFREP with a token never seen: 503 (it used to be a 500), not a guess');
    }
    t.equal(report.failedEvaluations, 0, `the connected SDK client kept evaluating (${report.evaluations} evaluations)`);
    if (report.fault.startsWith('Redis')) {
      t.ok(report.changesDuringFault > 0, 'writes went on: PostgreSQL was there');
      t.same(report.pushedDuringFault, { socket: true, stream: true }, 'every change reached the Socket.IO client and the SSE stream during the fault');
    }
    t.same(report.divergences, [], 'afterwards the client, the SSE stream, the API and the Redis cache all hold what PostgreSQL holds');

    const longest = answers.reduce((slowest, answer) => (answer.ms > slowest.ms ? answer : slowest));
    const statuses = Object.entries(
      answers.reduce<Record<string, number>>((counts, answer) => ({ ...counts, [answer.status]: (counts[answer.status] ?? 0) + 1 }), {}),
    ).map(([status, count]) => `${status}×${count}`).join(' ');
    t.comment(
      `${report.fault} (${FAULT_MS} ms): ${answers.length} answers (${statuses}), longest ${Math.round(longest.ms)} ms (${longest.op} → ${longest.status}); `
      + `${report.changesDuringFault} changes acknowledged during it; converged ${Math.round(report.convergeMs)} ms after the restore`,
    );
  });
}

t.test('every acknowledged write is stored exactly once', async (t) => {
  t.ok(acknowledgedChanges.length > 0);
  const { rows } = await env.pool.query<{ version: number; rollout: number | null; flag: string }>(
    `select version, flag_key as flag, (after->>'rollout')::int as rollout from change_event where environment_key = 'prod' order by version`,
  );
  for (const change of acknowledgedChanges) {
    const stored = rows.filter((row) => row.version === change.version);
    t.equal(stored.length, 1, `version ${change.version}: one event`);
    t.match(stored[0], { flag: 'fault_write', rollout: change.rollout }, `version ${change.version} is the acknowledged change`);
  }
  const versions = rows.map((row) => row.version);
  t.same(versions, [...new Set(versions)], 'no version twice');

  const { rows: tokens } = await env.pool.query<{ name: string; count: number }>(
    `select name, count(*)::int as count from api_token where name = any($1) group by name`,
    [attemptedTokens],
  );
  const stored = new Map(tokens.map((row) => [row.name, row.count]));
  for (const name of acknowledgedTokens) t.equal(stored.get(name), 1, `${name}: created once`);
  t.ok(tokens.every((row) => row.count === 1), 'no token stored twice, acknowledged or not');
});
