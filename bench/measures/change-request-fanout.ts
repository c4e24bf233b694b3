import type { BenchContext, Measure } from '../harness/context.js';
import { monotonicMs } from '../harness/clock.js';
import { checkSharedClock, connectClients, disconnectClients, timePushes, type PushTiming, type TimedWrite } from '../harness/push-timing.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber, summarize } from '../harness/stats.js';

const CLIENTS = 1000;
const FLAGS_PER_REQUEST = 20;
const WRITES = 10;

/**
 * The flags the change requests switch: seeded ones that no other measure
 * writes or evaluates on its own (see seed.ts), which this measure, the last
 * of the writing ones, leaves at other rollouts.
 */
function requestFlags(all: string[]): string[] {
  return all.slice(10, 10 + FLAGS_PER_REQUEST);
}

/** A timed PATCH of one flag: the clock starts before the request is sent. */
function patchWrite(context: BenchContext, flag: string): () => Promise<TimedWrite> {
  let flip = false;
  return async () => {
    flip = !flip;
    const sentAt = monotonicMs();
    const state = await context.admin.setState(flag, context.environment, { rollout: flip ? 30 : 70 });
    return { version: state.version, respondedAt: sentAt };
  };
}

/**
 * A timed change request of 20 flags: opened and approved beforehand (neither
 * reaches apps), then `POST …/apply`, the clock started before it is sent.
 */
function changeRequestWrite(context: BenchContext, flags: string[], reviewer: string): () => Promise<TimedWrite> {
  let flip = false;
  return async () => {
    flip = !flip;
    const changes = flags.map((flag) => ({ flag, set: { rollout: flip ? 40 : 60 } }));
    const opened = await context.admin.call<{ id: string }>('POST', '/v1/change-requests', { environment: context.environment, title: 'bench', changes });
    await context.admin.call('POST', `/v1/change-requests/${opened.id}/approve`, undefined, reviewer);
    const sentAt = monotonicMs();
    const applied = await context.admin.call<{ appliedVersion: number }>('POST', `/v1/change-requests/${opened.id}/apply`, undefined, reviewer);
    return { version: applied.appliedVersion, respondedAt: sentAt };
  };
}

const lastArrivals = (timing: PushTiming) => timing.perWrite.map((one) => Math.max(...one.delays));
const describe = (timing: PushTiming) => {
  const last = summarize(lastArrivals(timing));
  return `median ${formatNumber(last.median)} ms, worst ${formatNumber(last.max)} ms`;
};

/**
 * A change request of 20 flags applied while 1,000 sockets listen, beside a
 * single PATCH, taking turns: per write, the time from sending the apply (or
 * the PATCH) until the last socket has the new version. The request is one
 * version and one `flags:change` of 20 flags; the ratio says what applying
 * 20 changes as one costs over one change.
 */
export const changeRequestFanOut: Measure = {
  id: 'change-request',
  title: 'Change request of 20 flags to 1,000 sockets',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flagship, admin, environment, sdkSecret, flags } = context;
    const drivers = await context.socketDrivers();
    const reviewer = (await admin.call<{ secret: string }>('POST', '/v1/tokens', { name: 'bench-reviewer', kind: 'admin' })).secret;
    try {
      await checkSharedClock(drivers);
      const snapshot = await admin.clientSnapshot(sdkSecret);
      context.log(`change-request: ${CLIENTS} sockets on the notifier`);
      const connectSeconds = await connectClients(drivers, CLIENTS, {
        url: flagship.notifierUrl,
        token: sdkSecret,
        environment,
        mode: 'wire',
        concurrency: 50,
        since: snapshot.version,
        group: 'flagship',
      });
      context.log(`change-request: ${WRITES} applies of ${FLAGS_PER_REQUEST} flags and ${WRITES} PATCHes, taking turns`);
      const { timings, stats } = await timePushes(
        drivers,
        [
          { write: changeRequestWrite(context, requestFlags(flags.all), reviewer), clients: CLIENTS },
          { write: patchWrite(context, flags.pushed), clients: CLIENTS },
        ],
        { count: WRITES, gapMs: 200, waitMs: 10_000 },
      );
      const [request, patch] = timings as [PushTiming, PushTiming];
      const complete = request.missing === 0 && request.timeouts === 0;
      const frame = (timing: PushTiming) => [...new Set(timing.perWrite.map((one) => one.frameBytes).filter((bytes) => bytes !== undefined))].join('–') || 'unknown';
      return {
        rows: [
          {
            measure: `Change request: ${FLAGS_PER_REQUEST} flags applied, last of ${formatNumber(CLIENTS, 0)} sockets has it`,
            figure: describe(request),
            baseline: `a single PATCH: ${describe(patch)}`,
            ratio: summarize(lastArrivals(request)).median / summarize(lastArrivals(patch)).median,
            target: 'every socket gets it as one change',
            met: complete && stats.outOfOrder === 0,
          },
        ],
        notes: [
          `${WRITES} applies of a ${FLAGS_PER_REQUEST}-flag change request (opened and approved beforehand: neither reaches apps) and ${WRITES} single PATCHes, taking turns, 200 ms apart; for each, the time from sending \`POST /v1/change-requests/{id}/apply\` (or the PATCH) until the last of ${CLIENTS} sockets had the version, so the write's own time is inside the figure. Ratio: medians, request over PATCH.`,
          `Each request arrived as one \`flags:change\` of ${frame(request)} bytes (a PATCH: ${frame(patch)} bytes). Missing (socket, apply) pairs: ${request.missing}; applies not everywhere within 10 s: ${request.timeouts}; changes out of order across all sockets: ${stats.outOfOrder}. ${formatNumber(connectSeconds)} s to connect the sockets.`,
        ],
      };
    } finally {
      await disconnectClients(drivers).catch(() => undefined);
    }
  },
};
