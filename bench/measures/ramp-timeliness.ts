import type { ChainArgs } from '../drivers/bare-ramp-chain.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { waitFor } from '../harness/clock.js';
import { DriverProcess } from '../harness/ipc.js';
import { REDIS_URL } from '../harness/isolation.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber, summarize, type Summary } from '../harness/stats.js';

const STEPS = 100;
const EVERY_MS = 50;
/** Time for the API to store the plan and queue the first timer before the first step is due. */
const LEAD_MS = 2000;
const TARGET_MAX_MS = 1000;

const describe = (summary: Summary) => `late by median ${formatNumber(summary.median)} ms, max ${formatNumber(summary.max)} ms`;

/**
 * Measure 6: a ramp of 100 steps planned 50 ms apart through the REST API;
 * each step's lateness is applied_at (PostgreSQL's clock_timestamp() in the
 * step's transaction) minus planned_at, from GET /v1/rollouts/{id}.
 * Baseline: a bare BullMQ chain of 100 delayed jobs 50 ms apart.
 */
export const rampTimeliness: Measure = {
  id: 'ramp',
  title: 'Ramp timeliness',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { admin, environment, flags, isolation } = context;
    const firstAt = Date.now() + LEAD_MS;
    const steps = Array.from({ length: STEPS }, (_, index) => ({ rollout: index + 1, at: new Date(firstAt + index * EVERY_MS).toISOString() }));
    context.log(`ramp: ${STEPS} steps ${EVERY_MS} ms apart through FlagShip`);
    const scheduled = await admin.scheduleRamp(flags.ramped, environment, steps);
    const done = await waitFor(
      'the ramp to complete',
      async () => {
        const ramp = await admin.ramp(scheduled.id);
        return ramp.status === 'completed' || ramp.status === 'cancelled' || ramp.status === 'paused' ? ramp : undefined;
      },
      LEAD_MS + STEPS * EVERY_MS + 60_000,
      250,
    );
    const applied = done.steps.filter((step) => step.appliedAt !== null);
    const lateness = applied.map((step) => Date.parse(step.appliedAt!) - Date.parse(step.plannedAt));

    context.log('ramp: the bare BullMQ chain');
    const chain = await DriverProcess.start('bare-ramp-chain', 'drivers/bare-ramp-chain.ts');
    let baselineLateness: number[];
    try {
      const args: ChainArgs = { redisUrl: REDIS_URL, prefix: `${isolation.redisPrefix}:bare-ramp`, firstAt: Date.now() + LEAD_MS, steps: STEPS, everyMs: EVERY_MS };
      ({ latenessMs: baselineLateness } = await chain.request<{ latenessMs: number[] }>('run', args));
    } finally {
      await chain.stop();
    }

    const figure = summarize(lateness);
    const baseline = summarize(baselineLateness);
    return {
      rows: [
        {
          measure: `6. Ramp timeliness, ${STEPS} steps ${EVERY_MS} ms apart`,
          figure: describe(figure),
          baseline: `bare BullMQ chain: ${describe(baseline)}`,
          ratio: figure.max / baseline.max,
          target: `max ≤ ${TARGET_MAX_MS} ms`,
          met: done.status === 'completed' && applied.length === STEPS && figure.max <= TARGET_MAX_MS,
        },
      ],
      notes: [
        `The ramp ended ${done.status} with ${applied.length}/${STEPS} steps applied; lateness = applied_at − planned_at per step, p99 ${formatNumber(figure.p99)} ms, earliest ${formatNumber(figure.min)} ms. The ratio compares the maxima (lower is better).`,
        `Each step is a BullMQ delayed job whose handler runs the step's transaction (the same changeFlagState path as REST) and then queues the next step's timer; the baseline chain does the same minus the transaction, its lateness taken when its handler starts.`,
      ],
    };
  },
};
