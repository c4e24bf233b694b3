import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger.js';
import { DUPLICATE_DATABASE, UNIQUE_VIOLATION, hasPostgresCode } from './postgres-errors.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** SQLSTATE of a connection to a database that does not exist. */
const INVALID_CATALOG_NAME = '3D000';

/** True when the database accepts a connection; false when it does not exist (any other failure is thrown). */
async function databaseExists(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A failure arrives as connect()'s rejection; without a listener it would also crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    if (hasPostgresCode(error, INVALID_CATALOG_NAME)) return false;
    throw error;
  }
  await client.end();
  return true;
}

/**
 * Creates the database named in `databaseUrl` when it does not exist yet. It
 * asks the database itself first: only a missing one needs the maintenance
 * database `postgres`, which a deployment's user may not reach (PgBouncer
 * knows only the configured databases; managed services often refuse it).
 */
export async function ensureDatabase(databaseUrl: string, logger: Logger): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) return;
  if (await databaseExists(databaseUrl)) return;
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  client.on('error', () => undefined);
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
