import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/** Where the local PostgreSQL server is (no database name) and Redis. */
export const POSTGRES_SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const DATABASE_PREFIX = 'flagship_bench_';
const REDIS_PREFIX = 'flagship-bench-';

/** The bench's own database and Redis prefix: it never touches anyone else's data. */
export interface Isolation {
  databaseName: string;
  databaseUrl: string;
  redisPrefix: string;
}

/** Names carry the runner's pid, so a later run can tell leftovers of a crashed run from a live one. */
export function newIsolation(): Isolation {
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const databaseName = `${DATABASE_PREFIX}${suffix}`;
  return {
    databaseName,
    databaseUrl: `${POSTGRES_SERVER_URL}/${databaseName}`,
    redisPrefix: `${REDIS_PREFIX}${suffix.replace('_', '-')}`,
  };
}

async function withMaintenanceClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${POSTGRES_SERVER_URL}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(redis: Redis, pattern: string): Promise<Set<string>> {
  const deleted = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
    for (const key of keys) deleted.add(key);
  } while (cursor !== '0');
  return deleted;
}

/** Drops the run's database and deletes its Redis keys (SCAN + DEL of its prefix only; never FLUSHDB). */
export async function removeIsolation(isolation: Isolation): Promise<void> {
  await withMaintenanceClient((client) => client.query(`drop database if exists ${pg.escapeIdentifier(isolation.databaseName)} with (force)`));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await deleteRedisKeys(redis, `${isolation.redisPrefix}:*`);
  } finally {
    redis.disconnect();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerPid(name: string, prefix: string): number | undefined {
  const match = new RegExp(`^${prefix}(\\d+)[_-]`).exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Removes what a crashed earlier run left behind: bench databases and keys whose runner process is gone. */
export async function removeLeftovers(): Promise<string[]> {
  const removed: string[] = [];
  await withMaintenanceClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${DATABASE_PREFIX}%`]);
    for (const { datname } of rows) {
      const pid = ownerPid(datname, DATABASE_PREFIX);
      if (pid === undefined || pid === process.pid || processAlive(pid)) continue;
      await client.query(`drop database if exists ${pg.escapeIdentifier(datname)} with (force)`);
      removed.push(datname);
    }
  });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const prefixes = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) prefixes.add(key.split(':')[0]!);
    } while (cursor !== '0');
    for (const prefix of prefixes) {
      const pid = ownerPid(prefix, REDIS_PREFIX);
      if (pid === undefined || pid === process.pid || processAlive(pid)) continue;
      await deleteRedisKeys(redis, `${prefix}:*`);
      removed.push(`redis ${prefix}:*`);
    }
  } finally {
    redis.disconnect();
  }
  return removed;
}
