import { memoPerSnapshot } from '../../../shared/domain/snapshots/snapshot-memo.js';
import type { FlagState } from '../../../shared/schemas/flags.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import type { StoredSegment } from '../../../shared/schemas/targeting.js';
import type { UnleashFeature, UnleashFeatures, UnleashSegment } from '../../../shared/schemas/unleash.js';

/**
 * One flag state as Unleash's client API shows it. Disabled strategies are left
 * out, as Unleash leaves them out of its client API: they never match anyway.
 */
export function unleashFeature(state: FlagState): UnleashFeature {
  const feature: UnleashFeature = {
    name: state.key,
    type: 'release',
    enabled: state.enabled,
    project: state.project,
    stale: false,
    impressionData: false,
    strategies: state.strategies
      .filter((strategy) => !strategy.disabled)
      .map((strategy) => ({
        name: strategy.name,
        parameters: strategy.parameters ?? {},
        constraints: strategy.constraints ?? [],
        ...(strategy.segments && strategy.segments.length > 0 ? { segments: strategy.segments } : {}),
        ...(strategy.variants && strategy.variants.length > 0 ? { variants: strategy.variants } : {}),
      })),
    variants: state.variants,
  };
  if (state.dependencies.length > 0) feature.dependencies = state.dependencies;
  return feature;
}

export function unleashSegment(segment: StoredSegment): UnleashSegment {
  return { id: segment.id, name: segment.name, constraints: segment.constraints };
}

interface Converted {
  features: UnleashFeature[];
  segments: UnleashSegment[];
  byName: Map<string, UnleashFeature>;
}

/** The snapshot's flags and segments in Unleash's shapes, computed once per snapshot (shared/domain/snapshots/snapshot-memo.ts). */
export const unleashStateOf = memoPerSnapshot((snapshot): Converted => {
  const features = snapshot.flags.map(unleashFeature);
  return { features, segments: snapshot.segments.map(unleashSegment), byName: new Map(features.map((feature) => [feature.name, feature])) };
});

/**
 * `GET /api/client/features`: Unleash's v2 body, with the environment version
 * as revision. `snapshot` is already the token's projects (and the `project`
 * filter's); `projects` is what the body says it was asked for.
 */
export function unleashFeatures(snapshot: Snapshot, etag: string, namePrefix: string | undefined, projects: readonly string[]): UnleashFeatures {
  const { features, segments } = unleashStateOf(snapshot);
  return {
    version: 2,
    features: namePrefix === undefined ? features : features.filter((feature) => feature.name.startsWith(namePrefix)),
    segments,
    query: { environment: snapshot.environment, ...(namePrefix === undefined ? {} : { namePrefix }), project: [...projects] },
    meta: { revisionId: snapshot.version, etag },
  };
}
