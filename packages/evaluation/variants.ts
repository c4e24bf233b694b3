import { normalizedHash, VARIANT_SEED } from './bucket.js';
import { contextValue, randomStickiness, userIdOf, type EvaluationContext } from './context.js';
import type { Evaluation, EvaluationReason, JsonValue } from './evaluation-result.js';
import { MAX_PAYLOAD_DEPTH } from './limits.js';
import type { VariantDefinition, VariantPayload } from './model.js';

export type { JsonValue } from './evaluation-result.js';

/**
 * A variant's payload as a typed value: a number for `number`, parsed JSON for `json`, else
 * the string. `tooDeep`: JSON nested beyond MAX_PAYLOAD_DEPTH, which no answer may carry.
 */
export type TypedPayload = { ok: true; value: JsonValue } | { ok: false; message: string; tooDeep?: true };

/** Whether arrays and objects nest deeper than `limit` in `root` (iterative: a deep value must not overflow the stack here either). */
function nestsDeeperThan(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Types a payload once (Unleash keeps every payload value as a string). */
export function typePayload(variantName: string, payload: VariantPayload): TypedPayload {
  const raw = payload.value;
  if (typeof raw !== 'string') return { ok: false, message: `variant ${variantName}: its payload value is not a string` };
  if (payload.type === 'number') {
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    return Number.isFinite(value)
      ? { ok: true, value }
      : { ok: false, message: `variant ${variantName}: its number payload ${JSON.stringify(raw)} is not a number` };
  }
  if (payload.type === 'json') {
    let value: JsonValue;
    try {
      value = JSON.parse(raw) as JsonValue;
    } catch (error) {
      return { ok: false, message: `variant ${variantName}: its json payload does not parse (${(error as Error).message})` };
    }
    // Every answer carrying it would be serialised: 5,000 levels overflowed JSON.stringify's stack.
    if (nestsDeeperThan(value, MAX_PAYLOAD_DEPTH)) {
      return { ok: false, tooDeep: true, message: `variant ${variantName}: its json payload nests arrays and objects deeper than ${MAX_PAYLOAD_DEPTH} levels` };
    }
    return { ok: true, value };
  }
  // string, csv, and any type FlagShip does not know: the text as it is.
  return { ok: true, value: raw };
}

/** A list of variants prepared for picking: weights summed and payloads typed once. */
export interface CompiledVariants {
  definitions: readonly VariantDefinition[];
  totalWeight: number;
  groupId: string;
  stickiness: string | undefined;
  /** How many variants have a weight above zero: with two or more, the pick is a SPLIT. */
  weighted: number;
  hasOverrides: boolean;
  payloads: (TypedPayload | undefined)[];
  /** Per variant, the answers that pick it, by reason, each made once (evaluate.ts interns them). */
  answers: Map<EvaluationReason, Evaluation>[];
}

export function compileVariants(
  definitions: readonly VariantDefinition[] | undefined,
  groupId: string,
  stickiness: string | undefined,
): CompiledVariants | undefined {
  if (!Array.isArray(definitions) || definitions.length === 0) return undefined;
  return {
    definitions,
    totalWeight: definitions.reduce((sum, variant) => sum + (Number(variant.weight) || 0), 0),
    groupId,
    stickiness,
    weighted: definitions.filter((variant) => Number(variant.weight) > 0).length,
    hasOverrides: definitions.some((variant) => Array.isArray(variant.overrides) && variant.overrides.length > 0),
    payloads: definitions.map((variant) => (variant.payload ? typePayload(variant.name, variant.payload) : undefined)),
    answers: definitions.map(() => new Map()),
  };
}

/** Unleash's getSeed: the stickiness field's value, or for `default` userId, sessionId, remoteAddress; else random. */
function stickinessValue(context: EvaluationContext, stickiness: string | undefined): string {
  if (stickiness !== undefined && stickiness !== 'default') return contextValue(context, stickiness) ?? randomStickiness();
  const userId = userIdOf(context);
  if (userId !== undefined) return userId;
  for (const field of ['sessionId', 'remoteAddress'] as const) {
    const value = context[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return randomStickiness();
}

/** Which variant applies and how it was chosen. */
export interface VariantPick {
  index: number;
  by: 'override' | 'hash';
}

/**
 * Unleash's selectVariantDefinition: the first variant with an override matching the
 * context, else the variant whose cumulative weight reaches
 * `normalizedHash(groupId:stickinessValue, 86028157) % totalWeight + 1`.
 */
export function pickVariant(variants: CompiledVariants, context: EvaluationContext, trace?: { variantHash?: number }): VariantPick | undefined {
  if (variants.totalWeight <= 0) return undefined;
  if (variants.hasOverrides) {
    const index = variants.definitions.findIndex((variant) =>
      variant.overrides?.some((override) => {
        const value = contextValue(context, override.contextName);
        return Array.isArray(override.values) && override.values.some((candidate) => candidate === value);
      }),
    );
    if (index >= 0) return { index, by: 'override' };
  }
  const target = normalizedHash(variants.groupId, stickinessValue(context, variants.stickiness), variants.totalWeight, VARIANT_SEED);
  if (trace) trace.variantHash = target;
  let counter = 0;
  for (let index = 0; index < variants.definitions.length; index += 1) {
    const weight = Number(variants.definitions[index]!.weight) || 0;
    if (weight === 0) continue;
    counter += weight;
    if (counter >= target) return { index, by: 'hash' };
  }
  return undefined;
}
