import pg from 'pg';
import t from 'tap';
import { createTestDatabase } from '../helpers/database.js';
import { httpClient, type HttpRequest } from '../helpers/http.js';
import { REDIS_URL, deleteRedisKeys, uniqueRedisPrefix } from '../helpers/redis.js';
import { logLines, startService, type ServiceProcess } from './support/service-process.js';

// FLAGSHIP_ADMIN_TOKEN as docs/configuration.md describes it, against the API
// started as a process: one admin token of that name, replaced when the value
// changes; a revoked value stays revoked and says so; ready only once an admin
// can get in.

const database = await createTestDatabase('admin-bootstrap');
const redisPrefix = uniqueRedisPrefix('admin-bootstrap');
t.teardown(async () => {
  await deleteRedisKeys(redisPrefix);
  await database.drop();
});

const running = new Set<ServiceProcess>();
t.teardown(() => {
  for (const service of running) service.child.kill('SIGKILL');
});

async function startApi(adminToken?: string): Promise<{ service: ServiceProcess; request: HttpRequest }> {
  const service = startService('services/api/main.ts', {
    DATABASE_URL: database.url,
    REDIS_URL,
    FLAGSHIP_REDIS_PREFIX: redisPrefix,
    PORT: '0',
    LOG_LEVEL: 'info',
    ...(adminToken && { FLAGSHIP_ADMIN_TOKEN: adminToken }),
  });
  running.add(service);
  void service.exited.then(() => running.delete(service));
  const listening = JSON.parse(await service.waitForLine((line) => line.includes('"API listening"'))) as { port: number };
  return { service, request: httpClient(`http://127.0.0.1:${listening.port}`) };
}

async function stop(service: ServiceProcess): Promise<number | string> {
  service.child.kill('SIGTERM');
  return service.exited;
}

const started = (service: ServiceProcess) => service.waitForLine((line) => line.includes('"msg":"started"'));
const canAdminister = async (request: HttpRequest, secret: string) => (await request('GET', '/v1/tokens', { token: secret })).status;

let firstAdmin = '';

t.test('without FLAGSHIP_ADMIN_TOKEN, /readyz is 503 until the first admin token is printed', async (t) => {
  // Holding the lock the start takes to make sure an admin can get in stops it just before.
  const blocker = new pg.Client({ connectionString: database.url });
  await blocker.connect();
  t.teardown(() => blocker.end());
  await blocker.query(`select pg_advisory_lock(hashtext('flagship.ensure_admin_token'))`);

  const { service, request } = await startApi();
  const waiting = await request('GET', '/readyz');
  t.equal(waiting.status, 503, 'listening, but no admin can get in yet');
  t.equal(waiting.body.checks.start, 'starting');
  t.notOk(logLines(service.stdout).some((line) => 'adminToken' in line), 'no token printed yet');

  await blocker.query(`select pg_advisory_unlock(hashtext('flagship.ensure_admin_token'))`);
  await started(service);
  firstAdmin = String(logLines(service.stdout).find((line) => 'adminToken' in line)?.adminToken);
  t.match(firstAdmin, /^fs_admin_/, 'printed');
  const ready = await request('GET', '/readyz');
  t.equal(ready.status, 200);
  t.equal(ready.body.checks.start, 'ok');
  t.equal(await stop(service), 0);
});

t.test('a new FLAGSHIP_ADMIN_TOKEN value replaces the old one; a revoked value stays revoked, logged with how to rotate', async (t) => {
  const first = await startApi('configured-secret-number-one');
  await started(first.service);
  t.equal(await canAdminister(first.request, 'configured-secret-number-one'), 200);
  t.equal(await stop(first.service), 0);

  const second = await startApi('configured-secret-number-two');
  await started(second.service);
  t.equal(await canAdminister(second.request, 'configured-secret-number-two'), 200, 'the new value works');
  t.equal(await canAdminister(second.request, 'configured-secret-number-one'), 401, 'the old value no longer does');
  t.ok(
    logLines(second.service.stdout).some((line) => String(line.msg).startsWith('FLAGSHIP_ADMIN_TOKEN changed')),
    'says the old value was revoked',
  );
  const tokens = await second.request('GET', '/v1/tokens', { token: firstAdmin });
  const configured = (tokens.body.tokens as { id: string; name: string; revokedAt: string | null }[]).filter(
    (token) => token.name === 'FLAGSHIP_ADMIN_TOKEN',
  );
  t.equal(configured.filter((token) => token.revokedAt === null).length, 1, 'one live token of that name');
  t.equal(configured.length, 2);

  // Revoked through the API (by another admin), as after a leak.
  const live = configured.find((token) => token.revokedAt === null)!;
  t.equal((await second.request('DELETE', `/v1/tokens/${live.id}`, { token: firstAdmin })).status, 200);
  t.equal(await stop(second.service), 0);

  const third = await startApi('configured-secret-number-two');
  await started(third.service);
  t.equal(await canAdminister(third.request, 'configured-secret-number-two'), 401, 'a restart does not revive a revoked value');
  const said = logLines(third.service.stdout).find((line) => String(line.msg).startsWith('FLAGSHIP_ADMIN_TOKEN was revoked'));
  t.ok(said, 'says so');
  t.match(String(said?.msg), /set FLAGSHIP_ADMIN_TOKEN to a new secret/, 'and how to rotate');
  t.equal(said?.level, 50, 'as an error');
  t.equal((await third.request('GET', '/readyz')).status, 200, 'ready: another admin token can get in');
  t.equal(await canAdminister(third.request, firstAdmin), 200);
  t.equal(await stop(third.service), 0);
});
