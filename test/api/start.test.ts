import { randomBytes } from 'node:crypto';
import net from 'node:net';
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
  // The first admin token, if any, is printed once the ports are bound and before this.
  await service.waitForLine((text) => text.includes('"msg":"started"'));
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

t.test('a taken port stops the start before any admin token is created, so the next start still prints one', async (t) => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => taken.close(() => resolve())));
  // A database of its own: the next subtest starts on a fresh one.
  const own = `${database}_port`;
  t.teardown(async () => {
    const maintenance = new pg.Client({ connectionString: databaseUrl('postgres') });
    await maintenance.connect();
    await maintenance.query(`drop database if exists ${pg.escapeIdentifier(own)} with (force)`);
    await maintenance.end();
  });
  const service = startApiProcess({ PORT: String((taken.address() as net.AddressInfo).port), DATABASE_URL: databaseUrl(own) });
  t.not(await service.exited, 0);
  t.match(service.stderr(), /EADDRINUSE/, 'says why');
  t.same(firstTokenLines(service), [], 'no token printed');
  const client = new pg.Client({ connectionString: databaseUrl(own) });
  await client.connect();
  const { rowCount } = await client.query(`select 1 from api_token where kind = 'admin'`);
  await client.end();
  t.equal(rowCount, 0, 'and none stored that nobody saw: the next start creates and prints it');
});

let adminSecret = '';

t.test('two processes starting at once on a fresh database: it is created and migrated once, one first admin token, both serve, both stop on SIGTERM', async (t) => {
  const services = [startApiProcess(), startApiProcess()];
  const ports = await Promise.all(services.map(listeningPort));
  t.ok(await databaseExists(database));
  const tokens = services.flatMap(firstTokenLines);
  t.equal(tokens.length, 1, 'the first admin token is printed once, by one of them');
  adminSecret = String(tokens[0]?.adminToken);
  t.match(adminSecret, /^fs_admin_/);
  const applied = services.flatMap((service) => logLines(service.stdout)).filter((line) => line.msg === 'applied migration');
  t.equal(new Set(applied.map((line) => line.migration)).size, applied.length, 'no migration applied twice');
  t.ok(applied.length > 0);

  for (const port of ports) {
    t.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    const flags = await fetch(`http://127.0.0.1:${port}/v1/flags`, { headers: { authorization: `Bearer ${adminSecret}` } });
    t.equal(flags.status, 200, 'the printed token administers');
  }

  for (const service of services) service.child.kill('SIGTERM');
  t.same(await Promise.all(services.map((service) => service.exited)), [0, 0], 'both close cleanly on SIGTERM');
  for (const service of services) {
    t.ok(logLines(service.stdout).some((line) => line.msg === 'stopped'));
    t.equal(service.stderr(), '', 'nothing on stderr');
  }
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
