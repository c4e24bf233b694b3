// Local evaluation, in a process of its own (nothing else on its event loop):
// the repo's SDK (FlagShipClient, connected to the real notifier) against
// unleash-client offline (a static repository, no network), each asked
// isEnabled for the same 1,000,000 context keys on a 50% rollout.
import { randomUUID } from 'node:crypto';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { monotonicMs } from '../harness/clock.js';
import { serveCommands } from '../harness/ipc.js';
import { offlineUnleash } from './static-repository.js';

export interface EvaluationArgs {
  notifierUrl: string;
  token: string;
  environment: string;
  flagKey: string;
  keys: number;
  rounds: number;
}

export interface EvaluationResult {
  /** isEnabled calls per second, per round. */
  sdk: number[];
  unleash: number[];
  sdkOn: number;
  unleashOn: number;
  /** Keys for which the two answered differently (0: Unleash users keep their bucket). */
  disagreements: number;
}

function timeRound(count: number, isEnabled: (index: number) => boolean): { perSecond: number; on: number } {
  let on = 0;
  const started = monotonicMs();
  for (let index = 0; index < count; index += 1) if (isEnabled(index)) on += 1;
  const seconds = (monotonicMs() - started) / 1000;
  return { perSecond: count / seconds, on };
}

async function run(args: EvaluationArgs): Promise<EvaluationResult> {
  const client = new FlagShipClient({ url: args.notifierUrl, token: args.token, environment: args.environment });
  await client.ready();
  if (client.evaluate(args.flagKey, { key: 'probe' }).reason !== 'SPLIT') {
    throw new Error(`${args.flagKey} is not a partial rollout in the SDK's flags`);
  }
  const unleash = await offlineUnleash([
    {
      name: args.flagKey,
      enabled: true,
      strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'userId', groupId: args.flagKey }, constraints: [] }],
      variants: [],
    },
  ]);

  // Keys made before timing, so neither side pays for building them.
  const keys = Array.from({ length: args.keys }, () => randomUUID());
  const sdkContexts = keys.map((key) => ({ key }));
  const unleashContexts = keys.map((userId) => ({ userId }));
  const sdkCall = (index: number) => client.isEnabled(args.flagKey, sdkContexts[index]);
  const unleashCall = (index: number) => unleash.isEnabled(args.flagKey, unleashContexts[index]);

  // The first round keeps each side's answers, to check that both give the same ones.
  const answers = { sdk: new Uint8Array(keys.length), unleash: new Uint8Array(keys.length) };
  const result: EvaluationResult = { sdk: [], unleash: [], sdkOn: 0, unleashOn: 0, disagreements: 0 };
  for (let round = 0; round < args.rounds; round += 1) {
    // Alternate which goes first, so neither always runs on a warmer (or hotter) CPU.
    const order = round % 2 === 0 ? (['sdk', 'unleash'] as const) : (['unleash', 'sdk'] as const);
    for (const which of order) {
      const call = which === 'sdk' ? sdkCall : unleashCall;
      const kept = answers[which];
      const { perSecond, on } = timeRound(keys.length, round === 0 ? (index) => (kept[index] = call(index) ? 1 : 0) === 1 : call);
      result[which].push(perSecond);
      if (which === 'sdk') result.sdkOn = on;
      else result.unleashOn = on;
    }
  }
  for (let index = 0; index < keys.length; index += 1) if (answers.sdk[index] !== answers.unleash[index]) result.disagreements += 1;
  unleash.destroy();
  await client.close();
  return result;
}

serveCommands({ run });
