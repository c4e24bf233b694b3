import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { BenchContext, Measure } from '../harness/context.js';
import { monotonicMs, sleep } from '../harness/clock.js';
import { residentBytes } from '../harness/flagship.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber } from '../harness/stats.js';
import { backendPids, cpuDuring } from '../harness/cpu-time.js';
import os from 'node:os';

const TARGET_EVENTS_PER_SECOND = 10_000;
const SENDERS = 20;
/** Buckets per batch, each with count 1: every event its own bucket, the worst case (an SDK adds up what it can). */
const BUCKETS_PER_BATCH = 100;
const SECONDS = 20;
const MiB = 2 ** 20;

interface Run {
  events: number;
  requests: number;
  failures: number;
  /** Batches sent again (the same body, batch id included) after the connection failed, as an SDK resends; counted once by FlagShip. */
  resent: number;
  /** Why the first resend was needed. */
  resendReason?: string;
  seconds: number;
  /** The API's resident memory, sampled every second. */
  rssMiB: number[];
}

/**
 * `SENDERS` loops, each sending its share of `perSecond` events a second as
 * batches for `SECONDS` (paced: a loop that falls behind sends at once).
 */
async function sendAtRate(
  context: BenchContext,
  perSecond: number,
  body: (sender: number, sequence: number) => { path: string; json: string; events: number },
  seconds = SECONDS,
): Promise<Run> {
  const { flagship } = context;
  const requestsPerSecond = perSecond / BUCKETS_PER_BATCH;
  const gapMs = (1000 * SENDERS) / requestsPerSecond;
  const run: Run = { events: 0, requests: 0, failures: 0, resent: 0, seconds: 0, rssMiB: [] };
  const started = monotonicMs();
  const deadline = started + seconds * 1000;
  const sampler = setInterval(() => run.rssMiB.push(residentBytes(flagship.pids.api) / MiB), 1000);
  try {
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, sender) => {
        let sequence = 0;
        let due = started + (gapMs * sender) / SENDERS;
        while (monotonicMs() < deadline) {
          const wait = due - monotonicMs();
          if (wait > 0) await sleep(wait);
          due += gapMs;
          const { path, json, events } = body(sender, sequence++);
          const send = async () => {
            const response = await fetch(`${flagship.apiUrl}${path}`, {
              method: 'POST',
              headers: { authorization: `Bearer ${context.sdkSecret}`, 'content-type': 'application/json' },
              body: json,
            });
            await response.arrayBuffer();
            return response.status;
          };
          let status: number | undefined;
          for (let attempt = 0; status === undefined; attempt += 1) {
            try {
              status = await send();
            } catch (error) {
              // A connection that failed (a keep-alive socket the server closed as it was reused, on a loaded machine):
              // the same batch again, batch id included, as an SDK resends it; FlagShip counts it once.
              if (attempt >= 3) throw error;
              run.resent += 1;
              run.resendReason ??= String((error as { cause?: unknown }).cause ?? error);
            }
          }
          run.requests += 1;
          if (status === 202) run.events += events;
          else run.failures += 1;
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  run.seconds = (monotonicMs() - started) / 1000;
  return run;
}

const describe = (run: Run) =>
  `${formatNumber(run.events / run.seconds)} events/s (${formatNumber(run.requests / run.seconds)} batches/s, ${run.failures} refused, ${run.resent} resent); API RSS ${formatNumber(Math.min(...run.rssMiB))}–${formatNumber(Math.max(...run.rssMiB))} MiB`;

/**
 * Measure: apps' exposures and events into POST /v1/client/events at 10,000
 * events a second for 20 s, each event its own bucket (count 1, 100 distinct
 * buckets per batch: no adding up in the app), 20 senders with batch ids.
 * Memory: the API's RSS sampled each second (bounded: nothing is held
 * between requests). Checked: the stored counts add up to what was accepted.
 * Baseline: the same number of Unleash metrics reports (100 flags each) into
 * POST /api/client/metrics, FlagShip's older ingestion path.
 */
export const eventIngestion: Measure = {
  id: 'events',
  title: 'Event ingestion',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flags, isolation } = context;
    const now = () => new Date().toISOString();
    context.log(`events: ${TARGET_EVENTS_PER_SECOND} events/s into /v1/client/events for ${SECONDS} s`);
    const pool = new pg.Pool({ connectionString: isolation.databaseUrl, max: 1 });
    const batch = (sender: number) => {
      const at = now();
      const buckets = Array.from({ length: BUCKETS_PER_BATCH }, (_, index) => ({
        flag: flags.all[index % flags.all.length]!,
        variant: index % 2 === 0 ? 'on' : 'off',
        event: index < 50 ? 'exposure' : `event-${sender % 5}`,
        count: 1,
        start: at,
        end: at,
      }));
      return { path: '/v1/client/events', json: JSON.stringify({ appName: `bench-${sender}`, batchId: randomUUID(), buckets }), events: BUCKETS_PER_BATCH };
    };
    // Unmeasured first: the API's pool opens its connections, so the backends counted below are the ones that do the work.
    const warmUp = await sendAtRate(context, TARGET_EVENTS_PER_SECOND, batch, 2);
    const pids = { api: [context.flagship.pids.api], database: await backendPids(pool, isolation.databaseName) };
    const { result: events, cpuMs } = await cpuDuring(pids, () => sendAtRate(context, TARGET_EVENTS_PER_SECOND, batch));
    const stored = Number((await pool.query<{ total: string }>(`select coalesce(sum(count), 0)::text as total from client_event_minute`)).rows[0]!.total);
    await pool.end();

    context.log('events: the same batches per second as Unleash metrics reports');
    const baseline = await sendAtRate(context, TARGET_EVENTS_PER_SECOND, (sender) => {
      const toggles = Object.fromEntries(flags.all.slice(0, BUCKETS_PER_BATCH).map((key) => [key, { yes: 1, no: 0 }]));
      return {
        path: '/api/client/metrics',
        json: JSON.stringify({ appName: `bench-${sender}`, bucket: { start: now(), stop: now(), toggles } }),
        events: BUCKETS_PER_BATCH,
      };
    });
    const perSecond = events.events / events.seconds;
    // What one core of API and one of PostgreSQL could ingest: the figure that does not depend on how loaded the machine is.
    const perApiCpuSecond = events.events / (cpuMs.api! / 1000);
    const perDatabaseCpuSecond = events.events / (cpuMs.database! / 1000);
    // A backend that exits during the run is lost from the sum (its time reads 0): then only the API's figure counts.
    const capacity = perDatabaseCpuSecond > 0 ? Math.min(perApiCpuSecond, perDatabaseCpuSecond) : perApiCpuSecond;
    const loaded = os.loadavg()[0]! > os.cpus().length;
    const rssGrowth = Math.max(...events.rssMiB) - Math.min(...events.rssMiB.slice(0, 3));
    return {
      rows: [
        {
          measure: `Event ingestion, ${TARGET_EVENTS_PER_SECOND} events/s for ${SECONDS} s, each event its own bucket`,
          figure: describe(events),
          baseline: `Unleash metrics reports: ${describe(baseline)}`,
          ratio: perSecond / (baseline.events / baseline.seconds),
          target: `≥ ${TARGET_EVENTS_PER_SECOND} events/s (or, on a loaded machine, per core of API and of PostgreSQL), every one stored once, RSS bounded`,
          met: (perSecond >= TARGET_EVENTS_PER_SECOND * 0.98 || (loaded && capacity >= TARGET_EVENTS_PER_SECOND)) && events.failures === 0 && stored === events.events + warmUp.events && rssGrowth < 64,
        },
      ],
      notes: [
        `CPU: the API used ${formatNumber(cpuMs.api!)} ms and PostgreSQL's backends ${formatNumber(cpuMs.database!)} ms for ${events.events} events: ${formatNumber(perApiCpuSecond)} events per API CPU-second, ${formatNumber(perDatabaseCpuSecond)} per PostgreSQL CPU-second. Load average at the end ${os.loadavg().map((value) => value.toFixed(1)).join(' / ')} on ${os.cpus().length} cores${loaded ? ': the machine was oversubscribed, so the rate reached says more about the other processes than about FlagShip' : ''}.`,
        `${events.resent} batches resent after a failed connection${events.resendReason ? ` (${events.resendReason})` : ''}.`,
        `${events.events} events accepted (and ${warmUp.events} in 2 s of warm-up), ${stored} counted in client_event_minute (equal: each batch one statement, counted once). API RSS grew ${formatNumber(rssGrowth)} MiB from its first seconds to its peak (the bound: 64 MiB).`,
        `Every event its own bucket is the worst case: the SDK adds up counts of the same flag, variant and event per window, so a real app sends a few hundred buckets every 5 s whatever its traffic.`,
      ],
    };
  },
};
