/**
 * The write path's database side alone, no API: 8 connections each changing
 * its own flag's rollout for a few seconds, by
 *   - bare:        one autocommit UPDATE (the bench's baseline, same triggers);
 *   - function:    one autocommit call of flagship_change_flag_state (PATCH today);
 *   - transaction: BEGIN, set actor, lock the ramp, lock the state, UPDATE, COMMIT
 *                  (PATCH before migration 000010: six round trips).
 * Rounds alternate so that the machine's noise falls on each alike.
 *
 *   npx tsx bench/tools/write-round-trips.ts [seconds per run, default 4] [rounds, default 2]
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../shared/db/migrate.js';
import { insertFlag } from '../../shared/domain/flags/flag-repository.js';
import { withTransaction } from '../../shared/db/tx.js';
import { createLogger } from '../../shared/logger.js';
import { cpuDuring } from '../harness/cpu-time.js';

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const WRITERS = 8;
const SECONDS = Number(process.argv[2] ?? 4);
const ROUNDS = Number(process.argv[3] ?? 2);
const ENVIRONMENT = 'prod';

type Write = (client: pg.PoolClient, key: string, flagId: string, rollout: number) => Promise<unknown>;

const STATE_JSON = `flagship_state_json(s, f, f.archived_at is not null) as state`;

const ways: Record<string, Write> = {
  bare: (client, _key, flagId, rollout) =>
    client.query(
      `update flag_state set strategies = jsonb_set(strategies, '{0,parameters,rollout}', to_jsonb($1::text))
        where flag_id = $2 and environment_key = $3 returning version`,
      [String(rollout), flagId, ENVIRONMENT],
    ),
  function: (client, key, _flagId, rollout) =>
    client.query(`select outcome, state from flagship_change_flag_state($1, $2, null, $3, null, null, $4, null)`, [
      key,
      ENVIRONMENT,
      rollout,
      'token:probe',
    ]),
  transaction: async (client, key, _flagId, rollout) => {
    await client.query('begin');
    await client.query(`select set_config('flagship.actor', $1, true)`, [JSON.stringify({ type: 'token', id: 'probe', name: 'probe' })]);
    await client.query(
      `select p.id from rollout_plan p join flag f on f.id = p.flag_id
        where f.key = $1 and p.environment_key = $2 and p.status in ('scheduled', 'running') for update of p`,
      [key, ENVIRONMENT],
    );
    const { rows } = await client.query<{ state: { strategies: unknown[]; variants: unknown; dependencies: unknown } }>(
      `select ${STATE_JSON} from flag_state s join flag f on f.id = s.flag_id
        where f.key = $1 and s.environment_key = $2 for update of s`,
      [key, ENVIRONMENT],
    );
    const before = rows[0]!.state;
    const strategies = before.strategies.map((strategy) => {
      const { parameters, ...rest } = strategy as { parameters: Record<string, string> };
      return { ...rest, parameters: { ...parameters, rollout: String(rollout) } };
    });
    await client.query(
      `update flag_state s set enabled = s.enabled, strategies = $3::jsonb, variants = $4::jsonb, dependencies = $5::jsonb
         from flag f where f.id = s.flag_id and f.key = $1 and s.environment_key = $2 returning ${STATE_JSON}`,
      [key, ENVIRONMENT, JSON.stringify(strategies), JSON.stringify(before.variants), JSON.stringify(before.dependencies)],
    );
    await client.query('commit');
  },
};

interface Run {
  perSecond: number;
  /** CPU ms of the database backends per change. */
  databaseCpuMs: number;
}

async function run(pool: pg.Pool, flags: Array<{ key: string; id: string }>, write: Write): Promise<Run> {
  let count = 0;
  const clients = await Promise.all(flags.map(() => pool.connect()));
  const pids = await Promise.all(clients.map(async (client) => (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid));
  for (const client of clients) client.release();
  const { result: seconds, cpuMs } = await cpuDuring({ database: pids }, async () => {
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    flags.map(async ({ key, id }) => {
      const client = await pool.connect();
      try {
        for (let round = 0; performance.now() < deadline; round += 1) {
          await write(client, key, id, round % 2 === 0 ? 25 : 75);
          count += 1;
        }
      } finally {
        client.release();
      }
    }),
  );
  return (performance.now() - started) / 1000;
  });
  return { perSecond: count / seconds, databaseCpuMs: cpuMs.database! / count };
}

const name = `flagship_probe_${process.pid}_${randomBytes(3).toString('hex')}`;
const maintenance = new pg.Client({ connectionString: `${SERVER}/postgres` });
await maintenance.connect();
await maintenance.query(`create database ${pg.escapeIdentifier(name)}`);
const pool = new pg.Pool({ connectionString: `${SERVER}/${name}`, max: WRITERS });
pool.on('error', () => undefined);
try {
  await migrate(`${SERVER}/${name}`, createLogger('silent'));
  const flags: Array<{ key: string; id: string }> = [];
  for (let index = 0; index < WRITERS; index += 1) {
    const flag = await withTransaction(pool, (client) => insertFlag(client, { key: `probe.${index}`, environments: { [ENVIRONMENT]: { enabled: true, rollout: 50 } } }));
    flags.push({ key: flag.key, id: flag.id });
  }
  const figures: Record<string, Run[]> = Object.fromEntries(Object.keys(ways).map((way) => [way, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [way, write] of Object.entries(ways)) figures[way]!.push(await run(pool, flags, write));
  }
  const mean = (runs: Run[], field: keyof Run) => runs.reduce((sum, figure) => sum + figure[field], 0) / runs.length;
  const bare = mean(figures.bare!, 'perSecond');
  for (const [way, runs] of Object.entries(figures)) {
    const perSecond = mean(runs, 'perSecond');
    console.log(
      `${way.padEnd(12)} ${runs.map((figure) => figure.perSecond.toFixed(0).padStart(5)).join(' ')}  mean ${perSecond.toFixed(0).padStart(5)}/s  ` +
        `${(perSecond / bare).toFixed(2)}x bare  database CPU ${mean(runs, 'databaseCpuMs').toFixed(2)} ms/change`,
    );
  }
} finally {
  await pool.end();
  await maintenance.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  await maintenance.end();
}
