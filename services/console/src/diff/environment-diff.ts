import type { FlagState } from '../api/types.js';
import { dependencyWords, strategyWords, variantsWords } from '../words/targeting-words.js';

/** One part of a flag's configuration that differs between two environments, said both ways. */
export interface FieldDifference {
  field: 'enabled' | 'strategies' | 'variants' | 'dependencies';
  /** What the part is, in people's words. */
  label: string;
  from: string;
  to: string;
}

type Config = Pick<FlagState, 'enabled' | 'strategies' | 'variants' | 'dependencies'>;

/**
 * Strategy ids are bookkeeping: each environment's state has its own, so two
 * states that target the same users compare equal whatever their ids.
 */
function comparable(config: Config) {
  return {
    enabled: config.enabled,
    strategies: config.strategies.map(({ id: _id, ...strategy }) => strategy),
    variants: config.variants,
    dependencies: config.dependencies,
  };
}

const same = (left: unknown, right: unknown) => JSON.stringify(left) === JSON.stringify(right);

function strategiesWords(config: Config): string {
  return config.strategies.length === 0 ? 'nobody (no strategy)' : config.strategies.map(strategyWords).join('; ');
}

/**
 * What a promote from `from` to `to` would change, part by part, in people's
 * words (empty: the two states already behave the same): on or off, who gets
 * it (the strategies), the variants, what it depends on. What the single-flag
 * promote copies (enabled, strategies, variants, dependencies), so the two pages agree.
 */
export function environmentDifferences(from: Config, to: Config): FieldDifference[] {
  const left = comparable(from);
  const right = comparable(to);
  const differences: FieldDifference[] = [];
  if (left.enabled !== right.enabled) {
    differences.push({ field: 'enabled', label: 'On or off', from: from.enabled ? 'on' : 'off', to: to.enabled ? 'on' : 'off' });
  }
  if (!same(left.strategies, right.strategies)) {
    differences.push({ field: 'strategies', label: 'Who gets it', from: strategiesWords(from), to: strategiesWords(to) });
  }
  if (!same(left.variants, right.variants)) {
    const words = (config: Config) => (config.variants.length === 0 ? 'no variants' : variantsWords(config.variants));
    differences.push({ field: 'variants', label: 'Variants', from: words(from), to: words(to) });
  }
  if (!same(left.dependencies, right.dependencies)) {
    const words = (config: Config) => (config.dependencies.length === 0 ? 'nothing' : config.dependencies.map(dependencyWords).join(' and '));
    differences.push({ field: 'dependencies', label: 'Needs', from: words(from), to: words(to) });
  }
  return differences;
}
