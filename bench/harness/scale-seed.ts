import type { AdminClient } from './admin-client.js';
import { SEGMENT, targetedConfig } from './targeting.js';

/*
 * The scale measure's environment: 10,000 flags with rules, in an environment
 * of its own. FlagShip gives every flag a state in every environment, so the
 * other environments gain 10,000 disabled flags too: the measure runs last. Every flag has
 * a flexibleRollout strategy; on a share of them the targeting measure's rules
 * (targeting.ts): half carry its 3 constraints, a quarter its segment, a fifth
 * its 3 variants with payloads; two thirds are enabled.
 */

export const SCALE_ENVIRONMENT = 'bench-scale';
export const SCALE_FLAG_COUNT = 10_000;
/**
 * Flags per POST /v1/import/unleash. It takes up to 5,000, but creating a flag
 * creates its state in every environment, triggers and all, in one statement:
 * 1,000 at once ran past the API's statement timeout on a loaded machine.
 */
const IMPORT_BATCH = 200;
const IMPORT_ATTEMPTS = 3;

export const scaleKey = (index: number) => `bench.scale-${String(index).padStart(5, '0')}`;

/** One flag in the import's format (Unleash's client API). */
export function scaleFeature(index: number, segmentId: number) {
  const key = scaleKey(index);
  const rules = targetedConfig(key, segmentId);
  const [strategy] = rules.strategies;
  return {
    name: key,
    enabled: index % 3 !== 0,
    strategies: [
      {
        name: 'flexibleRollout',
        parameters: { rollout: String(((index * 37) % 100) + 1), stickiness: 'default', groupId: key },
        constraints: index % 2 === 0 ? strategy!.constraints : [],
        segments: index % 4 === 0 ? [segmentId] : [],
      },
    ],
    variants: index % 5 === 0 ? rules.variants : [],
  };
}

export interface ScaleSeed {
  segmentId: number;
  /** A flag with every rule (constraints, the segment, variants), disabled: the change the socket check writes. */
  changedKey: string;
  seconds: number;
}

/** Creates the environment and its segment, then imports the flags in batches. */
export async function seedScaleEnvironment(admin: AdminClient, log: (message: string) => void): Promise<ScaleSeed> {
  const started = Date.now();
  await admin.call('POST', '/v1/environments', { key: SCALE_ENVIRONMENT });
  const segment = await admin.call<{ id: number }>('POST', '/v1/segments', { ...SEGMENT, name: `${SEGMENT.name}-scale` });
  for (let first = 0; first < SCALE_FLAG_COUNT; first += IMPORT_BATCH) {
    const features = Array.from({ length: Math.min(IMPORT_BATCH, SCALE_FLAG_COUNT - first) }, (_, offset) => scaleFeature(first + offset, segment.id));
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.call('POST', `/v1/import/unleash?environment=${SCALE_ENVIRONMENT}`, { version: 2, features });
        break;
      } catch (error) {
        // A 503 (a statement timed out) rolled the whole batch back: it can be sent again.
        if (attempt === IMPORT_ATTEMPTS || !String(error).includes('answered 503')) throw error;
        log(`scale: import of flags ${first}… failed (${String(error).slice(0, 120)}); again`);
      }
    }
    if ((first + features.length) % 2000 === 0) log(`scale: imported ${first + features.length} of ${SCALE_FLAG_COUNT} flags`);
  }
  return { segmentId: segment.id, changedKey: scaleKey(0), seconds: (Date.now() - started) / 1000 };
}
