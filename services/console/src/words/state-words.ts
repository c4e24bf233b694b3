import type { FlagState } from '../api/types.js';

/**
 * What a state gives its users, in a word: "Off" when disabled (whatever
 * rollout it would have when switched on), the percentage in the simple case,
 * "rules" when it has more than the simple rollout.
 */
export function exposureText(state: Pick<FlagState, 'enabled' | 'rollout'>): string {
  return state.enabled ? rolloutText(state.rollout) : 'Off';
}

/** The rollout as a percentage; null (more than the simple rollout) shows as "rules". */
export function rolloutText(rollout: number | null): string {
  return rollout === null ? 'rules' : `${rollout}%`;
}

/**
 * A state's `version` is its environment's version at its last change (a
 * counter of every change in that environment), not a count of this flag's
 * changes: the words say so.
 */
export function environmentVersionText(version: number): string {
  return `environment version ${version}`;
}
