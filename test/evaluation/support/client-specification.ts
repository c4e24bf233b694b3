import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { EvaluationContext } from '../../../packages/evaluation/index.js';
import type { Dependency, FlagDefinition, Segment, Strategy, VariantDefinition, VariantPayload } from '../../../packages/evaluation/model.js';

/** One feature of a specification file, as Unleash's client API sends it. */
export interface SpecFeature {
  name: string;
  enabled: boolean;
  strategies?: Strategy[];
  variants?: VariantDefinition[] | null;
  dependencies?: Dependency[];
  impressionData?: boolean;
}

export interface SpecTest {
  description: string;
  context: EvaluationContext;
  toggleName: string;
  expectedResult: boolean;
}

export interface SpecVariantTest {
  description: string;
  context: EvaluationContext;
  toggleName: string;
  expectedResult: { name: string; enabled: boolean; payload?: VariantPayload; feature_enabled?: boolean; featureEnabled?: boolean };
}

export interface SpecFile {
  file: string;
  name: string;
  state: { version: number; features: SpecFeature[]; segments?: Segment[] };
  tests?: SpecTest[];
  variantTests?: SpecVariantTest[];
}

const require = createRequire(import.meta.url);
const directory = join(dirname(require.resolve('@unleash/client-specification/package.json')), 'specifications');

/** The delta-API files (hydration and events) describe a transport, not evaluation. */
const DELTA_API = new Set(['19-delta-api-hydration.json', '20-delta-api-events.json']);

/** Every file of @unleash/client-specification in its index's order, the delta-API ones left out. */
export function specificationFiles(): SpecFile[] {
  const index = JSON.parse(readFileSync(join(directory, 'index.json'), 'utf8')) as string[];
  return index
    .filter((file) => !DELTA_API.has(file))
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(directory, file), 'utf8')) as Omit<SpecFile, 'file'>) }));
}

/** A specification feature as a FlagShip definition (Unleash's `name` is FlagShip's `key`). */
export function definitionOfFeature(feature: SpecFeature): FlagDefinition {
  return {
    key: feature.name,
    enabled: feature.enabled,
    strategies: feature.strategies ?? [],
    variants: feature.variants ?? [],
    dependencies: feature.dependencies ?? [],
  };
}

/** The variant a variant test expects, in FlagShip's shape (`featureEnabled`, no `feature_enabled`). */
export function expectedVariant({ feature_enabled, featureEnabled, ...variant }: SpecVariantTest['expectedResult']) {
  return { ...variant, featureEnabled: featureEnabled ?? feature_enabled ?? false };
}
