import t from 'tap';
import { ConfigError, loadConfig } from '../../shared/config/index.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

t.test('defaults point at PostgreSQL and Redis on 127.0.0.1', async (t) => {
  const config = loadConfig({});
  t.same(config, {
    databaseUrl: 'postgres://postgres@127.0.0.1:5432/flagship',
    redisUrl: 'redis://127.0.0.1:6379',
    port: 8080,
    notifierPort: 8081,
    workerPort: 8082,
    metricsToken: undefined,
    adminToken: undefined,
    publicUrl: undefined,
    trustProxy: false,
    corsOrigins: '*',
    unleashFetchMode: 'streaming',
    answerCacheBytes: 32 * 1024 * 1024,
    logLevel: 'info',
    redisPrefix: 'flagship',
    dbConnectTimeoutMs: 3000,
    dbQueryTimeoutMs: 5000,
    dbIdleInTransactionTimeoutMs: 10_000,
    redisCommandTimeoutMs: 1000,
    redisConnectTimeoutMs: 2000,
    shutdownTimeoutMs: 10_000,
    webhookAllowPrivate: false,
    webhookRetryBaseMs: 5000,
    webhookDisableAfterFailures: 20,
    session: { idleMs: 8 * 60 * 60 * 1000, absoluteMs: 7 * 24 * 60 * 60 * 1000 },
    oidc: undefined,
  });
  t.ok(Object.isFrozen(config));
});

t.test('FLAGSHIP_ANSWER_CACHE_MB: MiB, 0 for none; anything else named', async (t) => {
  t.equal(loadConfig({ FLAGSHIP_ANSWER_CACHE_MB: '0' }).answerCacheBytes, 0);
  t.equal(loadConfig({ FLAGSHIP_ANSWER_CACHE_MB: '256' }).answerCacheBytes, 256 * 1024 * 1024);
  for (const value of ['-1', '1.5', 'lots', '70000']) {
    t.throws(() => loadConfig({ FLAGSHIP_ANSWER_CACHE_MB: value }), /FLAGSHIP_ANSWER_CACHE_MB/, value);
  }
});

t.test('webhook settings: read when valid, each wrong one named', async (t) => {
  t.match(
    loadConfig({ FLAGSHIP_WEBHOOK_ALLOW_PRIVATE: '1', FLAGSHIP_WEBHOOK_RETRY_BASE_MS: '250', FLAGSHIP_WEBHOOK_DISABLE_AFTER_FAILURES: '3' }),
    { webhookAllowPrivate: true, webhookRetryBaseMs: 250, webhookDisableAfterFailures: 3 },
  );
  t.equal(loadConfig({ FLAGSHIP_WEBHOOK_ALLOW_PRIVATE: 'false' }).webhookAllowPrivate, false);
  const problems = problemsOf({
    FLAGSHIP_WEBHOOK_ALLOW_PRIVATE: 'yes',
    FLAGSHIP_WEBHOOK_RETRY_BASE_MS: '0',
    FLAGSHIP_WEBHOOK_DISABLE_AFTER_FAILURES: '2.5',
  });
  t.equal(problems.length, 3);
  for (const name of ['FLAGSHIP_WEBHOOK_ALLOW_PRIVATE', 'FLAGSHIP_WEBHOOK_RETRY_BASE_MS', 'FLAGSHIP_WEBHOOK_DISABLE_AFTER_FAILURES']) {
    t.ok(problems.some((problem) => problem.startsWith(`${name}: `)), name);
  }
});

t.test('set values are read, an empty one means unset, unrelated variables are ignored', async (t) => {
  const config = loadConfig({
    DATABASE_URL: 'postgresql://app:secret@db.internal:6543/flags',
    REDIS_URL: 'rediss://cache.internal:6380/3',
    PORT: '9000',
    NOTIFIER_PORT: '0',
    FLAGSHIP_ADMIN_TOKEN: 'a-long-enough-admin-secret',
    LOG_LEVEL: 'debug',
    FLAGSHIP_REDIS_PREFIX: 'team-a:flags',
    HOME: '/root',
  });
  t.match(config, {
    databaseUrl: 'postgresql://app:secret@db.internal:6543/flags',
    redisUrl: 'rediss://cache.internal:6380/3',
    port: 9000,
    notifierPort: 0,
    adminToken: 'a-long-enough-admin-secret',
    logLevel: 'debug',
    redisPrefix: 'team-a:flags',
  });
  t.equal(loadConfig({ PORT: '', LOG_LEVEL: '' }).port, 8080);
});

t.test('every wrong variable is reported at once, each by name', async (t) => {
  const problems = problemsOf({
    DATABASE_URL: 'mysql://localhost/flags',
    REDIS_URL: 'not a url',
    PORT: 'eighty',
    NOTIFIER_PORT: '70000',
    FLAGSHIP_ADMIN_TOKEN: 'short',
    LOG_LEVEL: 'loud',
    FLAGSHIP_REDIS_PREFIX: 'has spaces',
  });
  t.equal(problems.length, 7);
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'NOTIFIER_PORT', 'FLAGSHIP_ADMIN_TOKEN', 'LOG_LEVEL', 'FLAGSHIP_REDIS_PREFIX']) {
    t.ok(problems.some((problem) => problem.startsWith(`${name}: `)), name);
  }
  t.throws(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' }), { name: 'ConfigError', message: /PORT: .*\n.*LOG_LEVEL: /s });
});

t.test('a port is digits only: no silent reading of a typo as some other port', async (t) => {
  // Regression: Number(' ') is 0 (a random port), '1e3' was 1000, '0x50' was 80.
  for (const value of [' ', '1e3', '0x50', '-1', '80.5', '80.0', '65536', '8080 ', '+80', 'Infinity']) {
    const problems = problemsOf({ PORT: value, NOTIFIER_PORT: value });
    t.equal(problems.length, 2, JSON.stringify(value));
    t.match(problems[0], /^PORT: /);
    t.match(problems[1], /^NOTIFIER_PORT: /);
  }
  t.equal(loadConfig({ PORT: '65535' }).port, 65535);
  t.equal(loadConfig({ PORT: '0' }).port, 0);
});

t.test('the bounded waits are milliseconds within sensible bounds; anything else is named', async (t) => {
  const config = loadConfig({
    FLAGSHIP_DB_CONNECT_TIMEOUT_MS: '1500',
    FLAGSHIP_DB_QUERY_TIMEOUT_MS: '2500',
    FLAGSHIP_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '4000',
    FLAGSHIP_REDIS_COMMAND_TIMEOUT_MS: '300',
    FLAGSHIP_REDIS_CONNECT_TIMEOUT_MS: '700',
    FLAGSHIP_SHUTDOWN_TIMEOUT_MS: '20000',
  });
  t.match(config, {
    dbConnectTimeoutMs: 1500,
    dbQueryTimeoutMs: 2500,
    dbIdleInTransactionTimeoutMs: 4000,
    redisCommandTimeoutMs: 300,
    redisConnectTimeoutMs: 700,
    shutdownTimeoutMs: 20_000,
  });
  const names = [
    'FLAGSHIP_DB_CONNECT_TIMEOUT_MS',
    'FLAGSHIP_DB_QUERY_TIMEOUT_MS',
    'FLAGSHIP_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
    'FLAGSHIP_REDIS_COMMAND_TIMEOUT_MS',
    'FLAGSHIP_REDIS_CONNECT_TIMEOUT_MS',
    'FLAGSHIP_SHUTDOWN_TIMEOUT_MS',
  ];
  // 0 would mean "wait for ever" to node-postgres: refused, like a typo.
  for (const value of ['0', '5s', '1e3', '-1', ' ', '99999999']) {
    const problems = problemsOf(Object.fromEntries(names.map((name) => [name, value])));
    t.same(problems.map((problem) => problem.split(':')[0]), names, JSON.stringify(value));
  }
  t.match(problemsOf({ FLAGSHIP_DB_QUERY_TIMEOUT_MS: '10' }), [/^FLAGSHIP_DB_QUERY_TIMEOUT_MS: must be at least 100 ms/]);
});

t.test('the worker port, the metrics token and the public URL are read and checked', async (t) => {
  const config = loadConfig({
    WORKER_PORT: '9102',
    FLAGSHIP_METRICS_TOKEN: 'a-long-enough-scrape-secret',
    FLAGSHIP_PUBLIC_URL: 'https://flags.example.com',
  });
  t.match(config, { workerPort: 9102, metricsToken: 'a-long-enough-scrape-secret', publicUrl: 'https://flags.example.com' });
  const problems = problemsOf({ WORKER_PORT: '1e3', FLAGSHIP_METRICS_TOKEN: 'short', FLAGSHIP_PUBLIC_URL: 'flags.example.com' });
  t.equal(problems.length, 3);
  for (const name of ['WORKER_PORT', 'FLAGSHIP_METRICS_TOKEN', 'FLAGSHIP_PUBLIC_URL']) {
    t.ok(problems.some((problem) => problem.startsWith(`${name}: `)), name);
  }
});
