import { randomBytes } from 'node:crypto';
import pg from 'pg';
import t from 'tap';
import { databaseUrl } from '../helpers/database.js';
import { REDIS_URL, deleteRedisKeys, uniqueRedisPrefix } from '../helpers/redis.js';
import { logLines, startService, type ServiceProcess } from './support/service-process.js';

const API = 'services/api/main.ts';
const database = `flagship_test_start_${randomBytes(4).toString('hex')}`;
const redisPrefix = uniqueRedisPrefix('api-start');

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return Boolean((await client.query('select 1 from pg_database where datname = $1', [name])).rowCount);
  } finally {
    await client.end();
  }
}

const running = new Set<ServiceProcess>();
t.teardown(async () => {
  for (const service of running) service.child.kill('SIGKILL');
  await deleteRedisKeys(redisPrefix);
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  await client.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`);
  await client.end();
});

function startApiProcess(env: Record<string, string> = {}): ServiceProcess {
  const service = startService(API, {
    DATABASE_URL: databaseUrl(database),
    REDIS_URL,
    FLAGSHIP_REDIS_PREFIX: redisPrefix,
    PORT: '0',
    LOG_LEVEL: 'info',
    ...env,
  });
  running.add(service);
  void service.exited.then(() => running.delete(service));
  return service;
}

/** The port the API logged it listens on. */
async function listeningPort(service: ServiceProcess): Promise<number> {
  const line = await service.waitForLine((text) => text.includes('"API listening"'));
  return (JSON.parse(line) as { port: number }).port;
}

const firstTokenLines = (service: ServiceProcess) => logLines(service.stdout).filter((line) => 'adminToken' in line);

t.test('a wrong variable stops the process, naming it, before touching anything', async (t) => {
  const service = startApiProcess({ PORT: 'eighty', LOG_LEVEL: 'loud' });
  const code = await service.exited;
  t.not(code, 0);
  t.match(service.stderr(), /PORT: /);
  t.match(service.stderr(), /LOG_LEVEL: /);
  t.notOk(await databaseExists(database), 'no database created on a bad configuration');
});

let adminSecret = '';

t.test('first start on a fresh database: creates it, migrates, prints the first admin token once, serves, stops on SIGTERM', async (t) => {
  const service = startApiProcess();
  const port = await listeningPort(service);
  t.ok(await databaseExists(database));
  const tokens = firstTokenLines(service);
  t.equal(tokens.length, 1, 'the first admin token is printed once');
  adminSecret = String(tokens[0]!.adminToken);
  t.match(adminSecret, /^fs_admin_/);
  t.ok(logLines(service.stdout).some((line) => line.msg === 'applied migration'));

  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  t.equal(health.status, 200);
  const flags = await fetch(`http://127.0.0.1:${port}/v1/flags`, { headers: { authorization: `Bearer ${adminSecret}` } });
  t.equal(flags.status, 200, 'the printed token administers');

  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0, 'closes cleanly on SIGTERM');
  t.ok(logLines(service.stdout).some((line) => line.msg === 'stopped'));
  t.equal(service.stderr(), '', 'nothing on stderr');
});

t.test('a second start prints no token, applies nothing, and the first token still works', async (t) => {
  t.ok(adminSecret, 'the first start gave a token');
  const service = startApiProcess();
  const port = await listeningPort(service);
  t.same(firstTokenLines(service), [], 'no new admin token');
  t.notOk(logLines(service.stdout).some((line) => line.msg === 'applied migration'));
  const flags = await fetch(`http://127.0.0.1:${port}/v1/flags`, { headers: { authorization: `Bearer ${adminSecret}` } });
  t.equal(flags.status, 200);
  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0);
});
