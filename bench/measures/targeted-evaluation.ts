import type { TargetedEvaluationArgs, TargetedEvaluationResult } from '../drivers/targeted-evaluation-loop.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { DriverProcess } from '../harness/ipc.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber, summarize } from '../harness/stats.js';
import { SEGMENT, TARGETING_ENVIRONMENT, targetedConfig, targetedUsers } from '../harness/targeting.js';
import { describeLoad, measureRoute, type Route } from './read-throughput.js';

const USERS = 200_000;
const ROUNDS = 5;
const TARGET_RATIO = 2;

const perSecond = (value: number) => `${formatNumber(value / 1e6, 2)} M calls/s`;

/** An environment of its own where all 100 flags are targeted (the other measures keep their simple flags). */
async function seedTargetedEnvironment(context: BenchContext): Promise<{ sdkSecret: string }> {
  const { admin } = context;
  await admin.call('POST', '/v1/environments', { key: TARGETING_ENVIRONMENT });
  const segment = await admin.call<{ id: number }>('POST', '/v1/segments', SEGMENT);
  const queue = [...context.flags.all];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let key = queue.shift(); key; key = queue.shift()) {
        await admin.call('PUT', `/v1/flags/${encodeURIComponent(key)}/environments/${TARGETING_ENVIRONMENT}`, targetedConfig(key, segment.id));
      }
    }),
  );
  return { sdkSecret: await admin.createSdkToken(TARGETING_ENVIRONMENT, 'bench-targeting') };
}

/**
 * Measure 4b and 1b: a flag with 3 constraints, a segment and 3 variants. Locally, the
 * repo's SDK vs unleash-client on the same definitions (isEnabled and getVariant, the
 * median of 5 rounds over 200,000 users); over HTTP, POST /v1/client/evaluate answering
 * 100 such flags, beside the same route answering the 100 simple flags.
 */
export const targetedEvaluation: Measure = {
  id: 'targeting',
  title: 'Targeted evaluation',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { sdkSecret } = await seedTargetedEnvironment(context);
    const driver = await DriverProcess.start('targeted-evaluation-loop', 'drivers/targeted-evaluation-loop.ts');
    let local: TargetedEvaluationResult;
    try {
      const args: TargetedEvaluationArgs = {
        notifierUrl: context.flagship.notifierUrl,
        token: sdkSecret,
        environment: TARGETING_ENVIRONMENT,
        flagKey: context.flags.halfRollout,
        users: USERS,
        rounds: ROUNDS,
      };
      local = await driver.request<TargetedEvaluationResult>('run', args);
    } finally {
      await driver.stop();
    }
    const median = (values: number[]) => summarize(values).median;
    const isEnabledRatio = median(local.sdkIsEnabled) / median(local.unleashIsEnabled);
    const variantRatio = median(local.sdkGetVariant) / median(local.unleashGetVariant);

    const user = targetedUsers(1)[0]!;
    const body = JSON.stringify({ context: { targetingKey: user.userId, email: user.email, appVersion: user.appVersion, plan: user.plan, country: user.country } });
    const route: Route = { label: 'POST /v1/client/evaluate', method: 'POST', path: '/v1/client/evaluate', body };
    context.log('targeting: /v1/client/evaluate, 100 targeted flags');
    const targeted = await measureRoute(context.flagship.apiUrl, route, sdkSecret);
    context.log('targeting: /v1/client/evaluate, 100 simple flags');
    const simple = await measureRoute(context.flagship.apiUrl, route, context.sdkSecret);

    return {
      rows: [
        {
          measure: '4b. Local evaluation, isEnabled on a targeted flag (3 constraints, a segment)',
          figure: `SDK: ${perSecond(median(local.sdkIsEnabled))}`,
          baseline: `unleash-client: ${perSecond(median(local.unleashIsEnabled))}`,
          ratio: isEnabledRatio,
          target: `≥ ${TARGET_RATIO}× unleash-client`,
          met: isEnabledRatio >= TARGET_RATIO && local.disagreements === 0,
        },
        {
          measure: '4c. Local evaluation, getVariant on the targeted flag (3 variants)',
          figure: `SDK: ${perSecond(median(local.sdkGetVariant))}`,
          baseline: `unleash-client: ${perSecond(median(local.unleashGetVariant))}`,
          ratio: variantRatio,
          target: `≥ ${TARGET_RATIO}× unleash-client`,
          met: variantRatio >= TARGET_RATIO && local.disagreements === 0,
        },
        {
          measure: '1b. POST /v1/client/evaluate, 100 targeted flags',
          figure: describeLoad(targeted),
          baseline: `100 simple flags: ${describeLoad(simple)}`,
          ratio: targeted.requestsPerSecond / simple.requestsPerSecond,
          target: '—',
          met: targeted.bad === 0 ? undefined : false,
        },
      ],
      notes: [
        `The flag: flexibleRollout 80% (default stickiness) with STR_ENDS_WITH email (2 domains, caseInsensitive), SEMVER_GTE appVersion 2.3.0, plan IN (pro, enterprise), and a segment (country IN 6 countries); variants blue 500 (string), green 300 (json), red 200 (number). Stored over REST (PUT and POST /v1/segments) in environment ${TARGETING_ENVIRONMENT}; unleash-client ${'6.x'} got the same definitions from the SDK's snapshot.`,
        `${formatNumber(USERS, 0)} users (contexts built before timing; flat OpenFeature attributes for the SDK, Unleash's properties for unleash-client), on for ${formatNumber(local.onShare * 100, 1)}%; variants ${Object.entries(local.variantNames).map(([name, count]) => `${name} ${count}`).join(', ')}. Same answers: ${local.disagreements} of ${formatNumber(USERS, 0)} users differ in isEnabled or the variant.`,
        `${ROUNDS} rounds each, alternating which goes first; the median round. isEnabled rounds: SDK ${local.sdkIsEnabled.map(perSecond).join(', ')}; unleash-client ${local.unleashIsEnabled.map(perSecond).join(', ')}. getVariant rounds: SDK ${local.sdkGetVariant.map(perSecond).join(', ')}; unleash-client ${local.unleashGetVariant.map(perSecond).join(', ')}.`,
        `/v1/client/evaluate: the same context (${body.length} bytes) against ${TARGETING_ENVIRONMENT} (100 targeted flags) and the bench environment (100 simple flags), autocannon as in measure 1; ${targeted.responses} × 2xx and ${targeted.bad} errors (targeted), ${simple.responses} × 2xx and ${simple.bad} (simple).`,
      ],
    };
  },
};
