import type { EvaluationArgs, EvaluationResult } from '../drivers/evaluation-loop.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { DriverProcess } from '../harness/ipc.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber, summarize } from '../harness/stats.js';

const KEYS = 1_000_000;
const ROUNDS = 5;
const TARGET_RATIO = 2;

const perSecond = (value: number) => `${formatNumber(value / 1e6, 2)} M calls/s`;

/**
 * Measure 4: isEnabled calls per second over 1,000,000 random context keys
 * (UUIDs) on a 50% rollout: the repo's SDK vs unleash-client (offline, an
 * equivalent flexibleRollout flag), in a driver process of their own. The
 * median of 5 rounds each.
 */
export const localEvaluation: Measure = {
  id: 'eval',
  title: 'Local evaluation',
  async run(context: BenchContext): Promise<MeasureResult> {
    const driver = await DriverProcess.start('evaluation-loop', 'drivers/evaluation-loop.ts');
    try {
      const args: EvaluationArgs = {
        notifierUrl: context.flagship.notifierUrl,
        token: context.sdkSecret,
        environment: context.environment,
        flagKey: context.flags.halfRollout,
        keys: KEYS,
        rounds: ROUNDS,
      };
      const result = await driver.request<EvaluationResult>('run', args);
      const sdk = summarize(result.sdk).median;
      const unleash = summarize(result.unleash).median;
      const ratio = sdk / unleash;
      return {
        rows: [
          {
            measure: '4. Local evaluation, isEnabled on a 50% rollout',
            figure: `SDK: ${perSecond(sdk)}`,
            baseline: `unleash-client: ${perSecond(unleash)}`,
            ratio,
            target: `≥ ${TARGET_RATIO}× unleash-client`,
            met: ratio >= TARGET_RATIO,
          },
        ],
        notes: [
          `${formatNumber(KEYS, 0)} random UUID keys, contexts built before timing; ${ROUNDS} rounds each, alternating which goes first; the median round. Rounds: SDK ${result.sdk.map(perSecond).join(', ')}; unleash-client ${result.unleash.map(perSecond).join(', ')}.`,
          `The SDK ran connected to the notifier (its flags from FlagShip); unleash-client ${'6.x'} offline with a static repository, a flexibleRollout strategy at 50% with stickiness userId and groupId = the flag key, metrics disabled.`,
          `Same answers: ${result.disagreements} of ${formatNumber(KEYS, 0)} keys differ (bucket = murmurhash3(flagKey:key) % 100 + 1 on both sides); on for ${formatNumber((result.sdkOn / KEYS) * 100, 2)}% (SDK) and ${formatNumber((result.unleashOn / KEYS) * 100, 2)}% (unleash-client).`,
        ],
      };
    } finally {
      await driver.stop();
    }
  },
};
