import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import t from 'tap';
import { migrate } from '../../shared/db/migrate.js';
import { createLogger } from '../../shared/logger.js';
import { databaseUrl } from '../helpers/database.js';
import type { Teardowns } from '../helpers/environment.js';
import { logLines, startService } from './support/service-process.js';
import { PostgresStartupSniffer } from './support/startup-sniffer.js';
import { viaProxy } from '../helpers/tcp-proxy.js';

const MIGRATION_FILES = readdirSync(new URL('../../shared/db/migrations/', import.meta.url)).filter((file) => file.endsWith('.sql'));

/** A database name nobody has used: migrate() must create it. Dropped at teardown. */
function freshDatabase(t: Teardowns, label: string): string {
  const name = `flagship_test_${label}_${randomBytes(4).toString('hex')}`;
  t.teardown(async () => {
    const client = new pg.Client({ connectionString: databaseUrl('postgres') });
    await client.connect();
    await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await client.end();
  });
  return name;
}

async function appliedMigrations(name: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`select name from schema_migration order by id`);
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

t.test('several migrations of one fresh database at once in one process: all succeed, each file applied once', async (t) => {
  // Regression: the losers of the CREATE DATABASE race got 23505 (not 42P04) and failed.
  for (let round = 0; round < 3; round++) {
    const name = freshDatabase(t, `migrate_race_${round}`);
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => migrate(databaseUrl(name), createLogger('silent'))));
    t.same(outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'ok')), ['ok', 'ok', 'ok']);
    t.same(await appliedMigrations(name), MIGRATION_FILES.map((file) => file.replace(/\.sql$/, '')));
  }
});

t.test('two processes migrating the same fresh database at once: both succeed, migrations applied once', async (t) => {
  const name = freshDatabase(t, 'migrate_processes');
  const env = { DATABASE_URL: databaseUrl(name), LOG_LEVEL: 'info' };
  const processes = [startService('shared/db/migrate-cli.ts', env), startService('shared/db/migrate-cli.ts', env)];
  const codes = await Promise.all(processes.map((service) => service.exited));
  t.same(codes, [0, 0], processes.map((service) => service.stderr()).join('\n'));
  const applied = processes.flatMap((service) => logLines(service.stdout)).filter((line) => line.msg === 'applied migration');
  t.same(applied.map((line) => line.migration).sort(), MIGRATION_FILES.map((file) => file.replace(/\.sql$/, '')).sort(), 'each file applied by exactly one of them');
  t.same(await appliedMigrations(name), MIGRATION_FILES.map((file) => file.replace(/\.sql$/, '')));

  const again = startService('shared/db/migrate-cli.ts', env);
  t.equal(await again.exited, 0);
  t.same(logLines(again.stdout).filter((line) => line.msg === 'applied migration'), [], 'a third run has nothing to apply');
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  const { rows } = await client.query(`select key, version::int from environment order by key`);
  await client.end();
  t.same(rows, [{ key: 'dev', version: 0 }, { key: 'prod', version: 0 }, { key: 'staging', version: 0 }], 'seeded once');
});

t.test('an existing database is migrated without touching the maintenance database', async (t) => {
  // Regression: every start connected to `postgres` first, which PgBouncer and
  // many managed services refuse, even when the database was already there.
  const name = freshDatabase(t, 'migrate_existing');
  const server = new URL(databaseUrl(name));
  const sniffer = await new PostgresStartupSniffer(server.hostname, Number(server.port || 5432)).start();
  t.teardown(() => sniffer.close());
  const url = viaProxy(databaseUrl(name), sniffer.port);

  await migrate(url, createLogger('silent'));
  t.ok(sniffer.databases.includes('postgres'), 'a missing database is created from the maintenance database');
  t.same(await appliedMigrations(name), MIGRATION_FILES.map((file) => file.replace(/\.sql$/, '')));

  sniffer.databases.length = 0;
  await migrate(url, createLogger('silent'));
  t.ok(sniffer.databases.length > 0, 'the sniffer sees the connections');
  t.same([...new Set(sniffer.databases)], [name], 'only the database itself');
});
