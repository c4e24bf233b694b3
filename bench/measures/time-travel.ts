import pg from 'pg';
import type { BenchContext, Measure } from '../harness/context.js';
import { waitFor } from '../harness/clock.js';
import { seedHistory } from '../harness/history-seed.js';
import { listsAsOf } from '../../shared/domain/history/checkpoints.js';
import { listsAtVersion } from '../../shared/domain/history/history-repository.js';
import type { MeasureResult } from '../harness/report.js';
import { formatMs, formatNumber, percentile } from '../harness/stats.js';

const ENVIRONMENT = 'bench-history';
const FLAGS = 1000;
const VERSIONS = 100_000;
const REQUESTS = 300;
const TARGET_P95_MS = 50;
const SAMPLES_IN_PROCESS = 150;

/** One GET, timed from the request to the last byte of the body. */
async function timedGet(url: string, secret: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${secret}` } });
  const body = await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${Buffer.from(body).toString()}`);
  return { ms: performance.now() - started, bytes: body.byteLength };
}

/**
 * Time travel: `GET /v1/environments/{env}/snapshot?asOf=<version>` for
 * versions drawn at random over a history of 100,000 versions of an
 * environment of 1,000 flags (and 20 segments), one request at a time.
 * Baseline: `GET /v1/client/flags` of the same environment (the current
 * snapshot, served from the cache the notifier keeps), the same size of body.
 */
export const timeTravel: Measure = {
  id: 'history',
  title: 'Time travel',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flagship, isolation, admin } = context;
    const pool = new pg.Pool({ connectionString: isolation.databaseUrl, max: 2 });
    try {
      const seedStarted = performance.now();
      const version = await seedHistory(pool, ENVIRONMENT, FLAGS, VERSIONS);
      await pool.query('analyze change_event');
      context.log(`time travel: ${formatNumber(version, 0)} versions seeded in ${formatNumber((performance.now() - seedStarted) / 1000, 0)} s`);
      // The worker keeps the checkpoints (one every ~510 versions here) up to the current version, as in a running installation.
      const checkpointsStarted = performance.now();
      await waitFor(
        'the worker to checkpoint the seeded history',
        async () => {
          const { rows } = await pool.query<{ last: string | null }>(`select max(version) as last from snapshot_checkpoint where environment_key = $1`, [ENVIRONMENT]);
          return rows[0]!.last !== null && Number(rows[0]!.last) >= version - 1000 ? true : undefined;
        },
        300_000,
        500,
      );
      const { rows: checkpointRows } = await pool.query<{ count: string; bytes: string; log: string }>(
        `select count(*) as count, pg_total_relation_size('snapshot_checkpoint') as bytes, pg_total_relation_size('change_event') as log
           from snapshot_checkpoint where environment_key = $1`,
        [ENVIRONMENT],
      );
      const checkpoints = checkpointRows[0]!;
      context.log(`time travel: ${checkpoints.count} checkpoints by the worker in ${formatNumber((performance.now() - checkpointsStarted) / 1000, 0)} s`);
      const sdkSecret = await admin.createSdkToken(ENVIRONMENT, 'bench-history');
      const asOf = (at: number) => `${flagship.apiUrl}/v1/environments/${ENVIRONMENT}/snapshot?asOf=${at}`;
      // Warm-up: connections, compiled code, PostgreSQL's cache of the indexes.
      for (let index = 0; index < 20; index += 1) await timedGet(asOf(Math.floor(Math.random() * version)), flagship.adminSecret);
      for (let index = 0; index < 20; index += 1) await timedGet(`${flagship.apiUrl}/v1/client/flags`, sdkSecret);
      const travel: number[] = [];
      const current: number[] = [];
      let bytes = 0;
      for (let index = 0; index < REQUESTS; index += 1) {
        const sample = await timedGet(asOf(Math.floor(Math.random() * (version + 1))), flagship.adminSecret);
        travel.push(sample.ms);
        bytes += sample.bytes;
        current.push((await timedGet(`${flagship.apiUrl}/v1/client/flags`, sdkSecret)).ms);
      }
      // The same question in-process, from the checkpoints and from the log by subject alone (the way before checkpoints).
      const fromCheckpoints: number[] = [];
      const bySubject: number[] = [];
      const timed = async (read: () => Promise<unknown>, into: number[]) => {
        const started = performance.now();
        await read();
        into.push(performance.now() - started);
      };
      for (let index = 0; index < SAMPLES_IN_PROCESS; index += 1) {
        const at = Math.floor(Math.random() * (version + 1));
        // Each way first half of the time, so neither always finds the other's pages in the cache.
        const ways = [() => timed(() => listsAsOf(pool, ENVIRONMENT, at), fromCheckpoints), () => timed(() => listsAtVersion(pool, ENVIRONMENT, at), bySubject)];
        if (index % 2 === 1) ways.reverse();
        for (const way of ways) await way();
      }
      fromCheckpoints.sort((a, b) => a - b);
      bySubject.sort((a, b) => a - b);
      travel.sort((a, b) => a - b);
      current.sort((a, b) => a - b);
      const p95 = percentile(travel, 0.95);
      const baseline = percentile(current, 0.95);
      return {
        rows: [
          {
            measure: `Time travel: snapshot as of a random one of ${formatNumber(version, 0)} versions, ${FLAGS} flags`,
            figure: `p95 ${formatMs(p95)} (median ${formatMs(percentile(travel, 0.5))})`,
            baseline: `current snapshot (cache): p95 ${formatMs(baseline)}`,
            ratio: p95 / baseline,
            target: `p95 ≤ ${TARGET_P95_MS} ms`,
            met: p95 <= TARGET_P95_MS,
          },
          {
            measure: `Time travel, the lists alone (in-process, ${SAMPLES_IN_PROCESS} random versions): from the checkpoints`,
            figure: `p95 ${formatMs(percentile(fromCheckpoints, 0.95))} (median ${formatMs(percentile(fromCheckpoints, 0.5))})`,
            baseline: `from the log by subject (no checkpoints): p95 ${formatMs(percentile(bySubject, 0.95))} (median ${formatMs(percentile(bySubject, 0.5))})`,
            ratio: percentile(fromCheckpoints, 0.95) / percentile(bySubject, 0.95),
            target: 'below 1×',
            met: percentile(fromCheckpoints, 0.95) < percentile(bySubject, 0.95),
          },
        ],
        notes: [
          `${REQUESTS} GET /v1/environments/${ENVIRONMENT}/snapshot?asOf=<random version> one at a time, each followed by a GET /v1/client/flags of the same environment; bodies of ${formatNumber(bytes / REQUESTS / 1024, 0)} KiB on average.`,
          `History seeded in SQL through the change triggers: ${FLAGS} flags changed ${formatNumber(version / FLAGS, 0)} times each (enabled flipped, rollout re-drawn), 20 segments changed every tenth round. The snapshot is the nearest checkpoint at or below the version (snapshot_checkpoint, migration 000023, kept by the worker: ${checkpoints.count} of them, ${formatNumber(Number(checkpoints.bytes) / 1024 / 1024, 0)} MiB beside the log's ${formatNumber(Number(checkpoints.log) / 1024 / 1024, 0)} MiB) and the events after it; each process keeps the checkpoints it read in memory as per-flag JSON (up to 96 MiB, all of these at 1,000 flags), so after the first read of a checkpoint only the events after it are read and only what they changed is serialised again. The in-process row uses a pool of its own, so its first read of each checkpoint is a miss.`,
        ],
      };
    } finally {
      await pool.end();
    }
  },
};
