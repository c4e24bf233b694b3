import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import t from 'tap';
import { REPEATED_SIGNAL_GRACE_MS } from '../../shared/lifecycle.js';
import { createTestEnvironment, type Teardowns } from '../helpers/environment.js';
import { waitFor } from '../helpers/worker.js';
import { logLines, startService, type ServiceProcess } from './support/service-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = await createTestEnvironment(t, 'api-shutdown');

function serviceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: env.config.databaseUrl,
    REDIS_URL: env.config.redisUrl,
    FLAGSHIP_REDIS_PREFIX: env.config.redisPrefix,
    FLAGSHIP_ADMIN_TOKEN: env.adminSecret,
    PORT: '0',
    NOTIFIER_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

const messages = (stdout: string[]) => logLines(stdout).map((line) => line.msg);

t.test('Ctrl-C on `npm start`: SIGINT reaches the service from the terminal and again from npm, and it still shuts down gracefully', async (t) => {
  const stdout: string[] = [];
  let stderr = '';
  // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TAP'))), ...serviceEnv() },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | string>((resolve) => npm.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  t.teardown(() => {
    if (npm.exitCode === null && npm.signalCode === null) process.kill(-npm.pid!, 'SIGKILL');
  });
  let pending = '';
  npm.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    stdout.push(...lines);
  });
  npm.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  await waitFor('npm start to start every service', async () => messages(stdout).includes('started'), 60_000);

  // The terminal signals the whole group; npm forwards its own copy a moment
  // later. Sent once the service has begun shutting down, that copy is the one
  // that used to kill it on the spot (its handler was registered with once()).
  process.kill(-npm.pid!, 'SIGINT');
  await waitFor('the service to begin shutting down', async () => messages(stdout).includes('shutting down'));
  npm.kill('SIGINT');
  await exited;
  const logged = messages(stdout);
  t.ok(logged.includes('shutting down'), 'the service began its graceful shutdown');
  t.ok(logged.includes('stopped'), 'and finished it');
  t.notOk(logged.some((msg) => typeof msg === 'string' && /forcing exit/.test(msg)), 'the second SIGINT did not cut it short');
  t.notMatch(stderr, /Error|error/, 'nothing went wrong');
});

/** An API process, with a PATCH stuck behind a row lock the test holds: a request that keeps the shutdown waiting. */
async function apiWithStuckRequest(t: Teardowns & { equal(found: unknown, wanted: unknown): boolean }, extra: Record<string, string>): Promise<ServiceProcess> {
  const service = startService('services/api/main.ts', serviceEnv({ FLAGSHIP_DB_QUERY_TIMEOUT_MS: '120000', ...extra }));
  t.teardown(() => {
    service.child.kill('SIGKILL');
  });
  await service.waitForLine((line) => line.includes('"msg":"started"'));
  const port = (logLines(service.stdout).find((line) => line.msg === 'API listening') as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const key = `stuck_${Math.random().toString(36).slice(2, 8)}`;
  const headers = { authorization: `Bearer ${env.adminSecret}`, 'content-type': 'application/json' };
  const created = await fetch(`${url}/v1/flags`, { method: 'POST', headers, body: JSON.stringify({ key }) });
  t.equal(created.status, 201);

  const locker = new pg.Client({ connectionString: env.config.databaseUrl });
  await locker.connect();
  t.teardown(() => locker.end());
  await locker.query('begin');
  await locker.query(
    `select 1 from flag_state s join flag f on f.id = s.flag_id where f.key = $1 and s.environment_key = 'prod' for update`,
    [key],
  );
  void fetch(`${url}/v1/flags/${key}/environments/prod`, { method: 'PATCH', headers, body: JSON.stringify({ rollout: 5 }) }).catch(() => undefined);
  await waitFor('the PATCH to wait for the row lock', async () => {
    const { rowCount } = await env.pool.query(
      `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    return Boolean(rowCount);
  });
  return service;
}

t.test('a shutdown that outlasts FLAGSHIP_SHUTDOWN_TIMEOUT_MS is forced, and says so', async (t) => {
  const service = await apiWithStuckRequest(t, { FLAGSHIP_SHUTDOWN_TIMEOUT_MS: '1000' });
  service.child.kill('SIGTERM');
  t.equal(await service.exited, 1, 'a forced exit is a failure');
  const logged = messages(service.stdout);
  t.ok(logged.includes('shutting down'));
  t.ok(logged.includes('shutdown did not finish in time; forcing exit'));
  t.notOk(logged.includes('stopped'));
});

t.test('a second signal forces the shutdown; a repeat within the grace period does not', async (t) => {
  const service = await apiWithStuckRequest(t, { FLAGSHIP_SHUTDOWN_TIMEOUT_MS: '600000' });
  service.child.kill('SIGTERM');
  service.child.kill('SIGTERM');
  await service.waitForLine((line) => line.includes('"msg":"shutting down"'));
  // Past the grace period: now it is a second request, not the same one twice.
  await sleep(REPEATED_SIGNAL_GRACE_MS + 200);
  t.equal(service.child.exitCode, null, 'the immediate repeat was ignored: still draining');
  service.child.kill('SIGINT');
  t.equal(await service.exited, 1);
  t.ok(messages(service.stdout).includes('second signal during shutdown; forcing exit'));
});
