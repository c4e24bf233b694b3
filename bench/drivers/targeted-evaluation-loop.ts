// Local evaluation of a targeted flag (3 constraints, a segment, 3 variants), in a process
// of its own: the repo's SDK (connected to the real notifier, its definitions from
// FlagShip) against unleash-client offline, given the same definitions (taken from the
// SDK's snapshot), asked isEnabled and getVariant for the same users.
import { FlagShipClient } from '../../packages/sdk/index.js';
import { monotonicMs } from '../harness/clock.js';
import { serveCommands } from '../harness/ipc.js';
import { targetedUsers } from '../harness/targeting.js';
import { offlineUnleash, type Toggle, type UnleashSegment } from './static-repository.js';

export interface TargetedEvaluationArgs {
  notifierUrl: string;
  token: string;
  environment: string;
  flagKey: string;
  users: number;
  rounds: number;
}

export interface TargetedEvaluationResult {
  /** Calls per second, per round. */
  sdkIsEnabled: number[];
  unleashIsEnabled: number[];
  sdkGetVariant: number[];
  unleashGetVariant: number[];
  /** Share of users the flag is on for (the same on both sides when disagreements is 0). */
  onShare: number;
  /** Users for whom isEnabled or the variant's name differed. */
  disagreements: number;
  variantNames: Record<string, number>;
}

function rate(count: number, call: (index: number) => unknown): number {
  const started = monotonicMs();
  for (let index = 0; index < count; index += 1) call(index);
  return count / ((monotonicMs() - started) / 1000);
}

async function run(args: TargetedEvaluationArgs): Promise<TargetedEvaluationResult> {
  const client = new FlagShipClient({ url: args.notifierUrl, token: args.token, environment: args.environment });
  await client.ready();
  const snapshot = client.snapshot();
  const state = snapshot?.flags.find((flag) => flag.key === args.flagKey);
  if (!snapshot || !state || state.strategies.length === 0) throw new Error(`${args.flagKey} is not a targeted flag in the SDK's flags`);
  const toggle = {
    name: state.key,
    enabled: state.enabled,
    strategies: state.strategies,
    variants: state.variants,
    dependencies: state.dependencies,
  } as unknown as Toggle;
  const segments = snapshot.segments.map(({ id, name, constraints }) => ({ id, name, constraints })) as unknown as UnleashSegment[];
  const unleash = await offlineUnleash([toggle], segments);

  // Contexts built before timing: OpenFeature's flat shape for the SDK, Unleash's for unleash-client.
  const users = targetedUsers(args.users);
  const sdkContexts = users.map(({ userId, ...attributes }) => ({ targetingKey: userId, ...attributes }));
  const unleashContexts = users.map(({ userId, ...properties }) => ({ userId, properties }));

  const result: TargetedEvaluationResult = {
    sdkIsEnabled: [],
    unleashIsEnabled: [],
    sdkGetVariant: [],
    unleashGetVariant: [],
    onShare: 0,
    disagreements: 0,
    variantNames: {},
  };
  let on = 0;
  for (let index = 0; index < users.length; index += 1) {
    const sdkOn = client.isEnabled(args.flagKey, sdkContexts[index]);
    const sdkVariant = client.getVariant(args.flagKey, sdkContexts[index]).name;
    const unleashVariant = unleash.getVariant(args.flagKey, unleashContexts[index]).name;
    if (sdkOn !== unleash.isEnabled(args.flagKey, unleashContexts[index]) || sdkVariant !== unleashVariant) result.disagreements += 1;
    if (sdkOn) on += 1;
    result.variantNames[sdkVariant] = (result.variantNames[sdkVariant] ?? 0) + 1;
  }
  result.onShare = on / users.length;

  const calls = {
    sdkIsEnabled: (index: number) => client.isEnabled(args.flagKey, sdkContexts[index]),
    unleashIsEnabled: (index: number) => unleash.isEnabled(args.flagKey, unleashContexts[index]),
    sdkGetVariant: (index: number) => client.getVariant(args.flagKey, sdkContexts[index]),
    unleashGetVariant: (index: number) => unleash.getVariant(args.flagKey, unleashContexts[index]),
  };
  for (let round = 0; round < args.rounds; round += 1) {
    // Alternate which goes first, so neither always runs on a warmer (or hotter) CPU.
    const order = round % 2 === 0
      ? (['sdkIsEnabled', 'unleashIsEnabled', 'sdkGetVariant', 'unleashGetVariant'] as const)
      : (['unleashIsEnabled', 'sdkIsEnabled', 'unleashGetVariant', 'sdkGetVariant'] as const);
    for (const which of order) result[which].push(rate(users.length, calls[which]));
  }
  unleash.destroy();
  await client.close();
  return result;
}

serveCommands({ run });
