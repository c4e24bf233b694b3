import type { FlagState } from '../api/types.js';

export interface RampDefaults {
  from: number;
  to: number;
  step: number;
  allowDecrease: boolean;
}

const STEP = 10;

/**
 * What the ramp form starts with, chosen so the API accepts it as it stands.
 * The API refuses a ramp whose first step is below an enabled flag's rollout
 * (it would roll the flag back at once) unless it says allowDecrease: so an
 * enabled flag ramps from where it is, and one already at 100% has nowhere to
 * rise — a ramp there starts lower on purpose, with allowDecrease ticked (and
 * said beside it). A disabled flag exposes nobody: any start is fine.
 */
export function rampDefaults(state: Pick<FlagState, 'enabled' | 'rollout'>): RampDefaults {
  const current = state.rollout;
  if (!state.enabled || current === null) return { from: STEP, to: 100, step: STEP, allowDecrease: false };
  if (current >= 100) return { from: STEP, to: 100, step: STEP, allowDecrease: true };
  return { from: current, to: 100, step: STEP, allowDecrease: false };
}
