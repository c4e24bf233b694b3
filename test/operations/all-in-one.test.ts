import { Redis } from 'ioredis';
import t from 'tap';
import { ensureServerBuilt } from '../../scripts/build/server-build.js';
import { logLines, startService } from '../api/support/service-process.js';
import { createTestDatabase } from '../helpers/database.js';
import { httpClient } from '../helpers/http.js';
import { REDIS_URL, deleteRedisKeys, uniqueRedisPrefix } from '../helpers/redis.js';
import { createSdkToken } from '../helpers/tokens.js';

// `npm start` builds the server (scripts/build.ts) and runs dist/services/main.js:
// all three services in one process, wired by the same functions as each
// service alone (services/<name>/wiring.ts). This test runs that build.

const ADMIN = 'all-in-one-admin-secret';
const database = await createTestDatabase('all-in-one');
const redisPrefix = uniqueRedisPrefix('all-in-one');
t.teardown(async () => {
  await deleteRedisKeys(redisPrefix);
  await database.drop();
});

/** A counter's value in Prometheus text, 0 when absent. */
function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

t.test('npm start takes FLAGSHIP_ANSWER_CACHE_MB, and has one revocation watch for its API and notifier', async (t) => {
  await ensureServerBuilt();
  const service = startService('dist/services/main.js', {
    DATABASE_URL: database.url,
    REDIS_URL,
    FLAGSHIP_REDIS_PREFIX: redisPrefix,
    FLAGSHIP_ADMIN_TOKEN: ADMIN,
    PORT: '0',
    NOTIFIER_PORT: '0',
    LOG_LEVEL: 'info',
    // 0 keeps no answer: every evaluation is computed again.
    FLAGSHIP_ANSWER_CACHE_MB: '0',
  });
  t.teardown(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await service.exited;
  });
  await service.waitForLine((line) => line.includes('"msg":"started"'));
  const apiPort = logLines(service.stdout).find((line) => line.msg === 'API listening')?.port;
  t.type(apiPort, 'number');
  const request = httpClient(`http://127.0.0.1:${apiPort}`);

  const created = await request('POST', '/v1/flags', { token: ADMIN, body: { key: 'cached', environments: { prod: { enabled: true } } } });
  t.equal(created.status, 201);
  const sdk = await createSdkToken(request, ADMIN, 'prod');
  for (let round = 0; round < 3; round += 1) {
    const answer = await request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context: { key: 'same-user' } } });
    t.equal(answer.status, 200);
  }
  const metrics = await request('GET', '/metrics');
  t.equal(metrics.status, 200);
  // With the default 32 MiB, the second answer would be kept and the third served from the cache.
  t.equal(metricValue(metrics.text, 'flagship_api_answer_cache_answers_total{outcome="kept"}'), 0, 'no answer kept');
  t.equal(metricValue(metrics.text, 'flagship_api_answer_cache_answers_total{outcome="not-kept"}'), 3, 'every answer computed');

  // Every revocation watch subscribes to its database's revocation channel: one process, one subscriber.
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  t.teardown(() => redis.disconnect());
  const channels = (await redis.pubsub('CHANNELS', `${redisPrefix}*`)) as string[];
  const revocationChannels = channels.filter((channel) => channel.endsWith(':token-revoked'));
  t.equal(revocationChannels.length, 1, 'the database-scoped revocation channel');
  const [, subscribers] = (await redis.pubsub('NUMSUB', revocationChannels[0]!)) as [string, number];
  t.equal(Number(subscribers), 1, 'one revocation watch in the process (the API and the notifier share it)');

  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0, 'stops cleanly');
});
