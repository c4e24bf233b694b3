/**
 * The change log at volume, no other services: seeds a database of its own
 * with EVENTS change events (1,000 flags, one environment, through the change
 * triggers), reports the change_event table's size per million changes, then
 * starts the API alone and exports the whole log over HTTP
 * (`GET /v1/events/export`, NDJSON, read as a stream and counted, never held),
 * sampling the API's resident memory (/proc/<pid>/status VmRSS) every 100 ms.
 *
 *   npx tsx bench/tools/history-export-memory.ts [events, default 1000000]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../shared/db/migrate.js';
import { createLogger } from '../../shared/logger.js';
import { waitFor } from '../harness/clock.js';
import { seedHistory } from '../harness/history-seed.js';
import { BENCH_DIR } from '../harness/ipc.js';

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const EVENTS = Number(process.argv[2] ?? 1_000_000);
const ENVIRONMENT = 'history';
const MiB = 1024 * 1024;

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const name = `flagship_bench_history_${process.pid}_${randomBytes(3).toString('hex')}`;
const maintenance = new pg.Client({ connectionString: `${SERVER}/postgres` });
await maintenance.connect();
await maintenance.query(`create database ${pg.escapeIdentifier(name)}`);
const databaseUrl = `${SERVER}/${name}`;
const db = new pg.Client({ connectionString: databaseUrl });
let api: ReturnType<typeof spawn> | undefined;
try {
  await migrate(databaseUrl, createLogger('silent'));
  await db.connect();
  const seedStarted = performance.now();
  let reported = 0;
  const version = await seedHistory(db, ENVIRONMENT, 1000, EVENTS, (at) => {
    if (at - reported >= 100_000) {
      reported = at;
      console.error(`seeded ${at} versions (${((performance.now() - seedStarted) / 1000).toFixed(0)} s)`);
    }
  });
  await db.query('vacuum analyze change_event');
  const { rows } = await db.query<{ events: string; total: string; heap: string; toast: string; indexes: string }>(
    `select count(*) as events, pg_total_relation_size('change_event') as total, pg_relation_size('change_event') as heap,
            pg_total_relation_size('change_event') - pg_relation_size('change_event') - pg_indexes_size('change_event') as toast,
            pg_indexes_size('change_event') as indexes
       from change_event`,
  );
  const size = rows[0]!;
  const perMillion = (bytes: string) => ((Number(bytes) / Number(size.events)) * 1e6) / MiB;
  console.log(`change_event: ${size.events} events (environment '${ENVIRONMENT}' at version ${version}), seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);
  console.log(
    `  size ${(Number(size.total) / MiB).toFixed(0)} MiB in all: ${(Number(size.total) / Number(size.events)).toFixed(0)} bytes per event; ` +
      `per million changes ${perMillion(size.total).toFixed(0)} MiB (table ${perMillion(size.heap).toFixed(0)}, toast ${perMillion(size.toast).toFixed(0)}, indexes ${perMillion(size.indexes).toFixed(0)})`,
  );

  const port = await freePort();
  const adminSecret = `bench-admin-${randomBytes(16).toString('hex')}`;
  api = spawn(process.execPath, ['--import', 'tsx', 'services/api/main.ts'], {
    cwd: path.join(BENCH_DIR, '..'),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      FLAGSHIP_REDIS_PREFIX: `flagship-bench-history-${process.pid}`,
      PORT: String(port),
      FLAGSHIP_ADMIN_TOKEN: adminSecret,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the API', async () => (await fetch(`${url}/readyz`).then((response) => response.status === 200).catch(() => false)) || undefined, 60_000, 200);
  const idle = rssOf(api.pid!);
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(api!.pid!));
  }, 100);
  const started = performance.now();
  const response = await fetch(`${url}/v1/events/export?environment=${ENVIRONMENT}`, { headers: { authorization: `Bearer ${adminSecret}` } });
  let lines = 0;
  let bytes = 0;
  let expected = 1;
  const gaps: string[] = [];
  let carry = '';
  const decoder = new TextDecoder();
  // Each line's version, checked against the next one due: the export must be whole and in order.
  const take = (line: string) => {
    lines += 1;
    const version = Number(/"version":(\d+)/.exec(line)?.[1]);
    if (version !== expected && gaps.length < 5) gaps.push(`line ${lines}: version ${version}, expected ${expected}`);
    expected = version + 1;
  };
  for await (const chunk of response.body!) {
    bytes += chunk.byteLength;
    const text = carry + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    carry = parts.pop()!;
    for (const line of parts) take(line);
  }
  carry += decoder.decode();
  if (carry !== '') take(carry);
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  console.log(`export: versions 1 to ${expected - 1} in order, ${gaps.length === 0 ? 'none missing' : `MISSING: ${gaps.join('; ')}`}`);
  console.log(`export: ${lines} events, ${(bytes / MiB).toFixed(0)} MiB of NDJSON in ${seconds.toFixed(1)} s (${(lines / seconds).toFixed(0)} events/s)`);
  console.log(`  API resident memory: ${(idle / MiB).toFixed(0)} MiB before, ${(peak / MiB).toFixed(0)} MiB at most during the export (+${((peak - idle) / MiB).toFixed(0)} MiB)`);
} finally {
  api?.kill('SIGTERM');
  await db.end().catch(() => undefined);
  if (api) await new Promise((resolve) => api!.once('exit', resolve));
  await maintenance.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  await maintenance.end();
}
