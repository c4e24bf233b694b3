import { compileRegex, parseRange, parseSemver } from './constraints.js';
import {
  CONSTRAINT_OPERATORS,
  STRATEGY_NAMES,
  type Constraint,
  type Dependency,
  type Segment,
  type Strategy,
  type VariantDefinition,
} from './model.js';
import { typePayload } from './variants.js';

/**
 * One problem found in a definition. `path` names the field from the definition's root
 * (`['strategies', 0, 'constraints', 1, 'value']`), so an API can answer a 400 naming it.
 * Errors make the definition unusable as written; warnings are kept and evaluated as
 * Unleash SDKs do (an unknown strategy or operator never matches).
 */
export interface DefinitionIssue {
  path: (string | number)[];
  code: DefinitionIssueCode;
  message: string;
  severity: 'error' | 'warning';
}

export type DefinitionIssueCode =
  | 'unknown_strategy'
  | 'unknown_operator'
  | 'invalid_parameter'
  | 'invalid_constraint'
  | 'invalid_regex'
  | 'regex_too_large'
  | 'invalid_number'
  | 'invalid_date'
  | 'invalid_semver'
  | 'invalid_cidr'
  | 'invalid_variant'
  | 'invalid_payload'
  | 'payload_too_deep'
  | 'unknown_payload_type'
  | 'variant_weights'
  | 'invalid_dependency'
  | 'unknown_segment';

/** Variant weights are out of this (Unleash's 100%). */
export const TOTAL_VARIANT_WEIGHT = 1000;

type Path = (string | number)[];
type Report = (path: Path, code: DefinitionIssueCode, message: string, severity?: 'error' | 'warning') => void;

const KNOWN_OPERATORS: ReadonlySet<string> = new Set(CONSTRAINT_OPERATORS);
const KNOWN_STRATEGIES: ReadonlySet<string> = new Set(STRATEGY_NAMES);
const LIST_OPERATORS: ReadonlySet<string> = new Set(['IN', 'NOT_IN', 'STR_CONTAINS', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'IN_CIDR']);
const PAYLOAD_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'json', 'csv']);

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

function checkConstraint(constraint: Constraint, path: Path, report: Report): void {
  if (!constraint || typeof constraint !== 'object') {
    report(path, 'invalid_constraint', 'must be an object { contextName, operator, values | value }');
    return;
  }
  if (!isNonEmptyString(constraint.contextName)) report([...path, 'contextName'], 'invalid_constraint', 'must name a context field');
  const { operator } = constraint;
  if (!KNOWN_OPERATORS.has(operator)) {
    report([...path, 'operator'], 'unknown_operator', `unknown operator ${JSON.stringify(operator)}: kept, and never matches`, 'warning');
    return;
  }
  if (LIST_OPERATORS.has(operator)) {
    if (!Array.isArray(constraint.values) || constraint.values.length === 0) {
      report([...path, 'values'], 'invalid_constraint', `${operator} needs a non-empty list of values`);
      return;
    }
    if (operator === 'IN_CIDR') {
      constraint.values.forEach((value, index) => {
        if (typeof value !== 'string' || !parseRange(value.trim())) {
          report([...path, 'values', index], 'invalid_cidr', `${JSON.stringify(value)} is not an IP address or CIDR range (e.g. 10.0.0.0/8)`);
        }
      });
    }
    return;
  }
  const value = constraint.value;
  const at = [...path, 'value'];
  if (typeof value !== 'string' || value === '') {
    report(at, 'invalid_constraint', `${operator} needs a value`);
    return;
  }
  if (operator.startsWith('NUM_') && (value.trim() === '' || !Number.isFinite(Number(value)))) {
    report(at, 'invalid_number', `${JSON.stringify(value)} is not a number`);
  } else if (operator.startsWith('DATE_') && Number.isNaN(new Date(value).getTime())) {
    report(at, 'invalid_date', `${JSON.stringify(value)} is not a date (use ISO 8601, e.g. 2026-01-31T00:00:00Z)`);
  } else if (operator.startsWith('SEMVER_') && !parseSemver(value, { allowV: true })) {
    report(at, 'invalid_semver', `${JSON.stringify(value)} is not a semantic version (e.g. 2.3.0)`);
  } else if (operator === 'REGEX') {
    const compiled = compileRegex(value, constraint.caseInsensitive === true);
    if (!compiled.ok) report(at, compiled.tooLarge ? 'regex_too_large' : 'invalid_regex', `${JSON.stringify(value)} ${compiled.message}`);
  }
}

function checkConstraints(constraints: readonly Constraint[] | undefined, path: Path, report: Report): void {
  if (constraints === undefined) return;
  if (!Array.isArray(constraints)) {
    report(path, 'invalid_constraint', 'must be a list of constraints');
    return;
  }
  constraints.forEach((constraint, index) => checkConstraint(constraint, [...path, index], report));
}

/** A percentage parameter as Unleash keeps it: a whole number 0–100, as a string or number. */
function checkPercentage(parameters: Record<string, unknown>, name: string, path: Path, report: Report, required: boolean): void {
  const value = parameters[name];
  if (value === undefined) {
    if (required) report([...path, name], 'invalid_parameter', 'is required: a whole number from 0 to 100');
    return;
  }
  const number = typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
  if (String(value).trim() === '' || !Number.isInteger(number) || number < 0 || number > 100) {
    report([...path, name], 'invalid_parameter', `${JSON.stringify(value)} is not a whole number from 0 to 100`);
  }
}

function checkParameters(strategy: Strategy, path: Path, report: Report): void {
  const parameters: Record<string, unknown> = strategy.parameters ?? {};
  const at = [...path, 'parameters'];
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    report(at, 'invalid_parameter', 'must be an object of string parameters');
    return;
  }
  switch (strategy.name) {
    case 'flexibleRollout':
      checkPercentage(parameters, 'rollout', at, report, true);
      if (parameters.stickiness !== undefined && !isNonEmptyString(parameters.stickiness)) {
        report([...at, 'stickiness'], 'invalid_parameter', 'must name a context field, default or random');
      }
      return;
    case 'gradualRolloutUserId':
    case 'gradualRolloutSessionId':
    case 'gradualRolloutRandom':
      checkPercentage(parameters, 'percentage', at, report, true);
      return;
    case 'userWithId':
      if (!isNonEmptyString(parameters.userIds)) report([...at, 'userIds'], 'invalid_parameter', 'must list user ids, comma-separated');
      return;
    case 'applicationHostname':
      if (!isNonEmptyString(parameters.hostNames)) report([...at, 'hostNames'], 'invalid_parameter', 'must list host names, comma-separated');
      return;
    case 'remoteAddress': {
      if (!isNonEmptyString(parameters.IPs)) {
        report([...at, 'IPs'], 'invalid_parameter', 'must list IP addresses or CIDR ranges, comma-separated');
        return;
      }
      const bad = parameters.IPs.split(/\s*,\s*/).filter((entry) => !parseRange(entry.trim()));
      if (bad.length > 0) report([...at, 'IPs'], 'invalid_cidr', `not an IP address or CIDR range: ${bad.map((entry) => JSON.stringify(entry)).join(', ')}`);
      return;
    }
    default:
  }
}

function checkSegmentIds(segments: readonly number[] | undefined, path: Path, report: Report, known: ReadonlySet<number> | undefined): void {
  if (segments === undefined) return;
  if (!Array.isArray(segments)) {
    report(path, 'unknown_segment', 'must be a list of segment ids');
    return;
  }
  segments.forEach((id, index) => {
    if (!Number.isInteger(id)) report([...path, index], 'unknown_segment', `${JSON.stringify(id)} is not a segment id`);
    else if (known && !known.has(id)) report([...path, index], 'unknown_segment', `no segment has id ${id}`);
  });
}

function checkStrategy(strategy: Strategy, path: Path, report: Report, options: ValidationOptions): void {
  if (!strategy || typeof strategy !== 'object') {
    report(path, 'invalid_parameter', 'must be an object { name, parameters?, constraints?, segments?, variants? }');
    return;
  }
  if (!KNOWN_STRATEGIES.has(strategy.name)) {
    report([...path, 'name'], 'unknown_strategy', `unknown strategy ${JSON.stringify(strategy.name)}: kept, and never matches`, 'warning');
  } else {
    checkParameters(strategy, path, report);
  }
  checkConstraints(strategy.constraints, [...path, 'constraints'], report);
  checkSegmentIds(strategy.segments, [...path, 'segments'], report, options.segmentIds);
  if (strategy.variants !== undefined) checkVariants(strategy.variants, [...path, 'variants'], report);
}

function checkVariant(variant: VariantDefinition, path: Path, report: Report): void {
  if (!isNonEmptyString(variant.name)) report([...path, 'name'], 'invalid_variant', 'must be a non-empty name');
  if (!Number.isInteger(variant.weight) || variant.weight < 0 || variant.weight > TOTAL_VARIANT_WEIGHT) {
    report([...path, 'weight'], 'invalid_variant', `must be a whole number from 0 to ${TOTAL_VARIANT_WEIGHT}`);
  }
  if (variant.weightType !== undefined && variant.weightType !== 'fix' && variant.weightType !== 'variable') {
    report([...path, 'weightType'], 'invalid_variant', 'must be fix or variable');
  }
  if (variant.payload !== undefined) {
    const { payload } = variant;
    if (!PAYLOAD_TYPES.has(payload.type)) {
      report([...path, 'payload', 'type'], 'unknown_payload_type', `unknown payload type ${JSON.stringify(payload.type)}: kept, served as a string`, 'warning');
    }
    const typed = typePayload(variant.name, payload);
    if (!typed.ok) report([...path, 'payload', 'value'], typed.tooDeep ? 'payload_too_deep' : 'invalid_payload', typed.message);
  }
  variant.overrides?.forEach((override, index) => {
    if (!isNonEmptyString(override.contextName)) report([...path, 'overrides', index, 'contextName'], 'invalid_variant', 'must name a context field');
    if (!Array.isArray(override.values)) report([...path, 'overrides', index, 'values'], 'invalid_variant', 'must be a list of values');
  });
}

function checkVariants(variants: readonly VariantDefinition[], path: Path, report: Report): void {
  if (!Array.isArray(variants)) {
    report(path, 'invalid_variant', 'must be a list of variants');
    return;
  }
  if (variants.length === 0) return;
  variants.forEach((variant, index) => checkVariant(variant, [...path, index], report));
  const names = new Set<string>();
  variants.forEach((variant, index) => {
    if (names.has(variant.name)) report([...path, index, 'name'], 'invalid_variant', `variant name ${JSON.stringify(variant.name)} is used twice`);
    names.add(variant.name);
  });
  const fixed = variants.filter((variant) => variant.weightType === 'fix').reduce((sum, variant) => sum + (Number(variant.weight) || 0), 0);
  if (fixed > TOTAL_VARIANT_WEIGHT) {
    report(path, 'variant_weights', `fixed weights add up to ${fixed}, over ${TOTAL_VARIANT_WEIGHT}`);
    return;
  }
  const total = variants.reduce((sum, variant) => sum + (Number(variant.weight) || 0), 0);
  if (total !== TOTAL_VARIANT_WEIGHT) {
    report(path, 'variant_weights', `weights add up to ${total}, not ${TOTAL_VARIANT_WEIGHT} (distributeVariantWeights shares what fixed ones leave)`);
  }
}

function checkDependencies(dependencies: readonly Dependency[], path: Path, report: Report, key: string | undefined): void {
  if (!Array.isArray(dependencies)) {
    report(path, 'invalid_dependency', 'must be a list of dependencies');
    return;
  }
  dependencies.forEach((dependency, index) => {
    const at = [...path, index];
    if (!isNonEmptyString(dependency?.feature)) {
      report([...at, 'feature'], 'invalid_dependency', 'must name the flag this one depends on');
      return;
    }
    if (key !== undefined && dependency.feature === key) report([...at, 'feature'], 'invalid_dependency', 'a flag cannot depend on itself');
    if (dependency.enabled !== undefined && typeof dependency.enabled !== 'boolean') {
      report([...at, 'enabled'], 'invalid_dependency', 'must be true or false');
    }
    if (dependency.variants !== undefined && (!Array.isArray(dependency.variants) || !dependency.variants.every(isNonEmptyString))) {
      report([...at, 'variants'], 'invalid_dependency', 'must be a list of variant names');
    }
  });
}

export interface ValidationOptions {
  /** The segment ids that exist: a strategy naming another is an error. Unchecked when absent. */
  segmentIds?: ReadonlySet<number>;
  /**
   * Report every issue as a warning, except what no definition may hold (a regex program
   * over MAX_REGEX_PROGRAM_SIZE, a payload deeper than MAX_PAYLOAD_DEPTH): for imports,
   * which must keep an Unleash state as it is.
   * Evaluation gives each issue a defined meaning (a value that does not parse never
   * matches, weights are normalised over their total), as Unleash SDKs do.
   */
  lenient?: boolean;
}

/** What validateDefinition reads: the targeting part of a state (the flag key for self-dependency). */
export interface DefinitionInput {
  key?: string;
  strategies?: Strategy[];
  variants?: VariantDefinition[];
  dependencies?: Dependency[];
}

/*
 * What no definition may hold, imported or not: these cost every evaluation (a regex
 * program too large to match in bounded time, a payload too deep to serialise), where
 * other problems only make one rule never match.
 */
const UNSAFE_CODES: ReadonlySet<DefinitionIssueCode> = new Set(['regex_too_large', 'payload_too_deep']);

function collect(check: (report: Report) => void, lenient = false): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  check((path, code, message, severity = 'error') =>
    issues.push({ path, code, message, severity: lenient && !UNSAFE_CODES.has(code) ? 'warning' : severity }),
  );
  return issues;
}

/**
 * Checks strategies, constraints, variants and dependencies for what evaluation cannot use
 * as written: a regex that does not compile, a number, date, semver or CIDR value that does
 * not parse, weights that do not add up to 1000, a malformed dependency (errors); an unknown
 * strategy or operator (warnings: kept, and never matches). Pure: no I/O.
 */
export function validateDefinition(definition: DefinitionInput, options: ValidationOptions = {}): DefinitionIssue[] {
  return collect((report) => {
    if (definition.strategies !== undefined) {
      if (!Array.isArray(definition.strategies)) report(['strategies'], 'invalid_parameter', 'must be a list of strategies');
      else definition.strategies.forEach((strategy, index) => checkStrategy(strategy, ['strategies', index], report, options));
    }
    if (definition.variants !== undefined) checkVariants(definition.variants, ['variants'], report);
    if (definition.dependencies !== undefined) checkDependencies(definition.dependencies, ['dependencies'], report, definition.key);
  }, options.lenient);
}

/** validateDefinition for one list of constraints (a segment's), paths from `constraints`. */
export function validateConstraints(constraints: readonly Constraint[], { lenient = false } = {}): DefinitionIssue[] {
  return collect((report) => checkConstraints(constraints, ['constraints'], report), lenient);
}

/** validateDefinition for a segment: its name and its constraints. */
export function validateSegment(segment: Pick<Segment, 'name' | 'constraints'>, { lenient = false } = {}): DefinitionIssue[] {
  return collect((report) => {
    if (!isNonEmptyString(segment.name)) report(['name'], 'invalid_constraint', 'must be a non-empty name');
    checkConstraints(segment.constraints, ['constraints'], report);
  }, lenient);
}

/** validateDefinition for one list of variants, paths from `variants`. */
export function validateVariants(variants: readonly VariantDefinition[], { lenient = false } = {}): DefinitionIssue[] {
  return collect((report) => checkVariants(variants, ['variants'], report), lenient);
}

/**
 * Unleash's admin rule for weights: `fix` variants keep theirs, `variable` ones (the
 * default) share what is left of 1000 evenly, the first ones taking one more each until the
 * remainder is spent. Returns new variants; throws when fixed weights exceed 1000.
 */
export function distributeVariantWeights(variants: readonly VariantDefinition[]): VariantDefinition[] {
  const fixed = variants.filter((variant) => variant.weightType === 'fix').reduce((sum, variant) => sum + variant.weight, 0);
  if (fixed > TOTAL_VARIANT_WEIGHT) throw new RangeError(`fixed variant weights add up to ${fixed}, over ${TOTAL_VARIANT_WEIGHT}`);
  const variableCount = variants.filter((variant) => variant.weightType !== 'fix').length;
  if (variableCount === 0) return variants.map((variant) => ({ ...variant }));
  const share = Math.floor((TOTAL_VARIANT_WEIGHT - fixed) / variableCount);
  let remainder = (TOTAL_VARIANT_WEIGHT - fixed) % variableCount;
  return variants.map((variant) => {
    if (variant.weightType === 'fix') return { ...variant };
    const weight = share + (remainder > 0 ? 1 : 0);
    if (remainder > 0) remainder -= 1;
    return { ...variant, weight, weightType: 'variable' };
  });
}
