import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger.js';
import { DUPLICATE_DATABASE, UNIQUE_VIOLATION, hasPostgresCode } from './postgres-errors.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Creates the database named in `databaseUrl` when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string, logger: Logger): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) return;
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return;
    await client.query(`create database ${pg.escapeIdentifier(name)}`);
    logger.info({ database: name }, 'created database');
  } catch (error) {
    // Two processes starting at once both see it missing; one of them wins. The
    // loser gets 42P04, or 23505 on pg_database's unique index when both got
    // past the existence check inside CREATE DATABASE at the same moment.
    if (!hasPostgresCode(error, DUPLICATE_DATABASE) && !hasPostgresCode(error, UNIQUE_VIOLATION)) throw error;
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations. node-pg-migrate holds an advisory lock while it
 * runs ('wait' mode), so processes starting together apply each file once.
 */
export async function migrate(databaseUrl: string, logger: Logger): Promise<void> {
  await ensureDatabase(databaseUrl, logger);
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'schema_migration',
    advisoryLockMode: 'wait',
    checkOrder: true,
    log: () => undefined,
  });
  for (const migration of applied) logger.info({ migration: migration.name }, 'applied migration');
}
