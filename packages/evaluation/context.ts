import { randomFraction } from './impure-reads.js';

/**
 * Who is asking. OpenFeature's `targetingKey` (alias `key`) is Unleash's `userId`; Unleash's
 * standard fields and `properties` are read as its SDKs send them, and any other top-level
 * attribute counts as a property (OpenFeature contexts are flat).
 */
export interface EvaluationContext {
  targetingKey?: string;
  key?: string;
  userId?: string;
  sessionId?: string;
  remoteAddress?: string;
  environment?: string;
  appName?: string;
  /** For DATE_AFTER / DATE_BEFORE; now when absent. */
  currentTime?: string | Date;
  properties?: Record<string, unknown>;
  [attribute: string]: unknown;
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

/** The user id: `userId`, else OpenFeature's `targetingKey`, else `key`; non-empty strings only. */
export function userIdOf(context: EvaluationContext): string | undefined {
  const { userId, targetingKey, key } = context;
  if (typeof userId === 'string' && userId !== '') return userId;
  if (typeof targetingKey === 'string' && targetingKey !== '') return targetingKey;
  if (typeof key === 'string' && key !== '') return key;
  return undefined;
}

/**
 * `record[field]` when the record itself holds it. A field name is the user's: `toString`,
 * `constructor` or `__proto__` read through to Object.prototype otherwise (a
 * `toString STR_CONTAINS "native code"` constraint matched every context).
 */
function ownField(record: unknown, field: string): unknown {
  return typeof record === 'object' && record !== null && Object.hasOwn(record, field) ? (record as Record<string, unknown>)[field] : undefined;
}

/**
 * A context field as a string, as Unleash's resolveContextValue reads it: the top-level
 * field, else `properties[field]`; `userId` also answers to `targetingKey` and `key`.
 * Own fields only.
 */
export function contextValue(context: EvaluationContext, field: string): string | undefined {
  if (field === 'userId') {
    const userId = ownField(context, 'userId') ?? ownField(context, 'targetingKey') ?? ownField(context, 'key');
    return text(userId);
  }
  return text(ownField(context, field) ?? ownField(ownField(context, 'properties'), field));
}

/** A value that never repeats in practice, for `random` stickiness (Unleash's random generator). */
export function randomStickiness(): string {
  return String(Math.round(randomFraction() * 10000) + 1);
}

/** Unleash's `default` stickiness: userId, then sessionId (undefined when neither is set). */
export function defaultStickiness(context: EvaluationContext): string | undefined {
  return userIdOf(context) ?? (typeof context.sessionId === 'string' && context.sessionId !== '' ? context.sessionId : undefined);
}
