import type { AdminClient, FlagSeed } from './admin-client.js';
import type { SeededFlags } from './context.js';

export const FLAG_COUNT = 100;

/**
 * The 100 flags of the bench environment: a third off, a third fully on, a
 * third partly rolled out (so evaluating them hashes), with a few set aside
 * for the measures that write. Every measure sees the same 100-flag snapshot.
 */
export function flagSeeds(): { seeds: FlagSeed[]; flags: SeededFlags } {
  const keys = Array.from({ length: FLAG_COUNT }, (_, index) => `bench.flag-${String(index).padStart(3, '0')}`);
  const seeds = keys.map((key, index): FlagSeed => {
    if (index % 3 === 0) return { key, enabled: false, rollout: 100 };
    if (index % 3 === 1) return { key, enabled: true, rollout: 100 };
    return { key, enabled: true, rollout: ((index * 37) % 98) + 1 };
  });
  const flags: SeededFlags = {
    all: keys,
    pushed: keys[0]!,
    written: keys.slice(1, 9),
    halfRollout: keys[99]!,
    ramped: keys[98]!,
  };
  seeds[99] = { key: flags.halfRollout, enabled: true, rollout: 50 };
  seeds[98] = { key: flags.ramped, enabled: true, rollout: 0 };
  return { seeds, flags };
}

export async function seedFlags(admin: AdminClient, environment: string): Promise<SeededFlags> {
  const { seeds, flags } = flagSeeds();
  await admin.createFlags(environment, seeds);
  return flags;
}
