import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '../../shared/db/migrate.js';
import { createLogger } from '../../shared/logger.js';

const SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../shared/db/migrations');

export function databaseUrl(name: string): string {
  return `${SERVER_URL}/${name}`;
}

/** The template's name changes whenever a migration does, so a stale template is never reused. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return `flagship_test_template_${hash.digest('hex').slice(0, 12)}`;
}

async function withMaintenanceClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh database for one test file, cloned from a migrated template
 * (migrating once, not per file). Parallel test files serialise on an advisory
 * lock only around the template and the clone.
 */
export async function createTestDatabase(label: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const template = templateName();
  const name = `flagship_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await withMaintenanceClient(async (client) => {
    await client.query(`select pg_advisory_lock(hashtext('flagship.test_template'))`);
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [template]);
      if (!rowCount) {
        // Migrate under a temporary name and rename when done: a crash midway never leaves a half template.
        const building = `${template}_building`;
        await client.query(`drop database if exists ${pg.escapeIdentifier(building)}`);
        await client.query(`create database ${pg.escapeIdentifier(building)}`);
        await migrate(databaseUrl(building), createLogger('silent'));
        await client.query(`alter database ${pg.escapeIdentifier(building)} rename to ${pg.escapeIdentifier(template)}`);
      }
      await client.query(`create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`);
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('flagship.test_template'))`);
    }
  });
  return {
    name,
    url: databaseUrl(name),
    drop: () => withMaintenanceClient(async (client) => {
      await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    }),
  };
}
