import type { Constraint } from '../../../packages/evaluation/model.js';
import { AppError } from '../../errors.js';
import type { FlagStateConfig } from './flag-state-repository.js';

/**
 * The most a state's targeting (strategies, variants, dependencies) or a
 * segment's constraints may weigh, as compact JSON. Evaluation time grows with
 * it, and every SDK holds it in memory: a bound keeps both small.
 */
export const TARGETING_LIMIT_BYTES = 64 * 1024;

export class TargetingTooLargeError extends AppError {
  constructor(what: string, bytes: number) {
    super(413, 'payload_too_large', `${what} is ${bytes} bytes as JSON; the limit is ${TARGETING_LIMIT_BYTES}`, {
      bytes,
      limit: TARGETING_LIMIT_BYTES,
    });
  }
}

function bytesOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

export function assertStateConfigFits(config: Omit<FlagStateConfig, 'enabled'>, what = 'the state\'s targeting'): void {
  const bytes = bytesOf({ strategies: config.strategies, variants: config.variants, dependencies: config.dependencies });
  if (bytes > TARGETING_LIMIT_BYTES) throw new TargetingTooLargeError(what, bytes);
}

export function assertConstraintsFit(constraints: Constraint[], what = "the segment's constraints"): void {
  const bytes = bytesOf(constraints);
  if (bytes > TARGETING_LIMIT_BYTES) throw new TargetingTooLargeError(what, bytes);
}
